package io.sluice.consumer;

import java.util.List;

/**
 * What one pipeline's consumer verticle needs: the pipeline's name (its addresses, logs and meters), its topics,
 * the commit interval, the in-flight bound and resume point, the revocation and shutdown bounds, and the batch
 * ceiling in records (a partition's in-flight share is never below twice it).
 */
public record ConsumerSettings(
        String name,
        List<String> topics,
        long commitIntervalMs,
        int inFlightMaxRecords,
        long inFlightMaxBytes,
        double resumeRatio,
        long revokeTimeoutMs,
        long shutdownTimeoutMs,
        int batchMaxRecords) {
    public ConsumerSettings {
        topics = List.copyOf(topics);
    }
}
