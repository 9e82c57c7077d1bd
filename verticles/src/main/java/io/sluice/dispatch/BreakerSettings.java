package io.sluice.dispatch;

import io.sluice.config.Cfg;
import io.sluice.config.Key;
import io.sluice.config.Section;

/**
 * The circuit breaker around the Lambda call: opens after {@code maxFailures} consecutive failed
 * invocations, pauses the consumer while open, lets one probe through after {@code resetTimeoutMs}.
 */
public record BreakerSettings(boolean enabled, int maxFailures, long resetTimeoutMs) {
    private static final Key<Boolean> ENABLED = Key.bool("enabled", true, "the circuit breaker around the Lambda call");
    private static final Key<Integer> MAX_FAILURES = Key.integer(
            "maxFailures",
            5,
            1,
            10_000,
            "consecutive failed invocations that open it (the consumer pauses while it is open)");
    private static final Key<Long> RESET_TIMEOUT_MS = Key.longInt(
            "resetTimeoutMs", 5_000, 100, 600_000, "open this long, then one probe invocation goes through");
    /** {@code pipelines[].breaker}. */
    public static final Section SECTION =
            Section.of("the circuit breaker around the Lambda call", ENABLED, MAX_FAILURES, RESET_TIMEOUT_MS);

    public static BreakerSettings from(Cfg c) {
        BreakerSettings s = new BreakerSettings(c.get(ENABLED), c.get(MAX_FAILURES), c.get(RESET_TIMEOUT_MS));
        c.done();
        return s;
    }
}
