package io.sluice.dispatch;

import io.sluice.config.Cfg;

/**
 * The circuit breaker around the Lambda call: opens after {@code maxFailures} consecutive failed
 * invocations, pauses the consumer while open, lets one probe through after {@code resetTimeoutMs}.
 */
public record BreakerSettings(boolean enabled, int maxFailures, long resetTimeoutMs) {
    public static BreakerSettings from(Cfg c) {
        BreakerSettings s = new BreakerSettings(c.bool("enabled", true), c.intIn("maxFailures", 5, 1, 10_000),
                c.longIn("resetTimeoutMs", 5_000, 100, 600_000));
        c.done();
        return s;
    }
}
