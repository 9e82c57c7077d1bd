package io.sluice.dispatch;

import io.sluice.config.Cfg;
import io.sluice.config.Key;
import io.sluice.config.Section;

/**
 * What happens to records that fail again after a {@code dlq redrive} ({@code pipelines[].redrive}):
 * <pre>{@code
 * "redrive": {
 *   "maxAttempts": 3,                    // 1..100: a record that fails with sluice-redrive-attempt >= this is parked
 *   "parkingTopic": "<dlqTopic>-parking", // where such records go instead of the DLQ
 *   "auditTopic": "sluice-redrive-audit"  // one JSON record per redrive run (the command writes it)
 * }
 * }</pre>
 *
 * @param parkingTopic null = {@code <dlqTopic>-parking} (see {@link #parkingTopicFor})
 */
public record RedriveSettings(int maxAttempts, String parkingTopic, String auditTopic) {
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final String DEFAULT_AUDIT_TOPIC = "sluice-redrive-audit";
    public static final RedriveSettings DEFAULTS = new RedriveSettings(DEFAULT_MAX_ATTEMPTS, null, DEFAULT_AUDIT_TOPIC);

    private static final Key<Integer> MAX_ATTEMPTS = Key.integer(
            "maxAttempts",
            DEFAULT_MAX_ATTEMPTS,
            1,
            100,
            "a record redriven by dlq redrive that fails again with sluice-redrive-attempt >= this goes to the parking "
                    + "topic instead of the DLQ (see operations-commands.md)");
    private static final Key<String> PARKING_TOPIC = Key.string(
                    "parkingTopic", null, "where such records go (dlq redrive creates it on its first real run)")
            .defaultShown("<dlqTopic>-parking");
    private static final Key<String> AUDIT_TOPIC = Key.string(
            "auditTopic", DEFAULT_AUDIT_TOPIC, "one JSON audit record per dlq redrive run (created by the command)");
    /** {@code pipelines[].redrive}. */
    public static final Section SECTION = Section.of(
            "records failing again after dlq redrive: attempts, parking, audit",
            MAX_ATTEMPTS,
            PARKING_TOPIC,
            AUDIT_TOPIC);

    public static RedriveSettings from(Cfg c) {
        int max = c.get(MAX_ATTEMPTS);
        String parking = c.get(PARKING_TOPIC);
        String audit = c.get(AUDIT_TOPIC);
        c.done();
        return new RedriveSettings(max, parking == null || parking.isBlank() ? null : parking, audit);
    }

    /** The parking topic of a pipeline whose DLQ topic is {@code dlqTopic}. */
    public String parkingTopicFor(String dlqTopic) {
        return parkingTopic != null ? parkingTopic : dlqTopic + "-parking";
    }
}
