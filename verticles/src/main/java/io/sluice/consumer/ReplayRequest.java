package io.sluice.consumer;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a replay moves a running pipeline's partitions (those assigned to this instance).
 *
 * @param to             {@code timestamp} (the first record at or after {@code timestampMs}; the end offset when
 *                       there is none), {@code earliest}, {@code latest}, or {@code offsets} (the given ones; partitions
 *                       not listed keep their position)
 * @param timestampMs    for {@code timestamp}
 * @param offsets        for {@code offsets}
 * @param dryRun         only say what would happen
 * @param drainTimeoutMs how long the in-flight records may take to become final before the replay gives up
 */
public record ReplayRequest(
        To to, long timestampMs, Map<TopicPartition, Long> offsets, boolean dryRun, long drainTimeoutMs) {
    /** The kinds of target. */
    public enum To {
        TIMESTAMP,
        EARLIEST,
        LATEST,
        OFFSETS;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind named {@code s} ({@code timestamp}, …), or null. */
        public static To of(String s) {
            for (To t : values()) {
                if (t.configName().equals(s)) {
                    return t;
                }
            }
            return null;
        }
    }

    public ReplayRequest {
        offsets = new LinkedHashMap<>(offsets);
    }
}
