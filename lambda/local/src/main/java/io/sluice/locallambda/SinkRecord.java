package io.sluice.locallambda;

/**
 * What the sink keeps from one routed record.
 *
 * @param key the record key ({@code key} of the routed record, else {@code code:truckId}); per-key order is
 *     checked on it
 * @param seq the producer's per-key sequence, null when absent
 * @param timestamp the event's epoch millis, for end-to-end latency (negative = unknown)
 */
public record SinkRecord(String eventId, String key, Long seq, long timestamp) {}
