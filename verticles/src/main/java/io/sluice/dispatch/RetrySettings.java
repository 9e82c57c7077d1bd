package io.sluice.dispatch;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;

/** Exponential backoff with full jitter between invocation attempts; after {@code maxAttempts}, DLQ. */
public record RetrySettings(int maxAttempts, long baseDelayMs, long maxDelayMs) {
    public static RetrySettings from(Cfg c) {
        RetrySettings s = new RetrySettings(
                c.intIn("maxAttempts", 5, 1, 100),
                c.longIn("baseDelayMs", 100, 1, 60_000),
                c.longIn("maxDelayMs", 5_000, 1, 600_000));
        c.done();
        if (s.maxDelayMs < s.baseDelayMs) {
            throw new ConfigException(c.key("maxDelayMs"), "must be >= baseDelayMs (" + s.baseDelayMs + "), got " + s.maxDelayMs);
        }
        return s;
    }
}
