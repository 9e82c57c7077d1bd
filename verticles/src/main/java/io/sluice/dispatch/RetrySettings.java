package io.sluice.dispatch;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exponential backoff with full jitter between invocation attempts; after {@code maxAttempts}, DLQ.
 *
 * @param onPartialFailure what goes again after a partial failure ({@code batchItemFailures}), see {@link Resend}
 */
public record RetrySettings(int maxAttempts, long baseDelayMs, long maxDelayMs, Resend onPartialFailure) {

    /** What a partial failure sends again. */
    public enum Resend {
        /**
         * Each lane from its first failed record on, whatever the function said of the later ones (the event source
         * mapping's checkpoint rule, per lane). Safe with any function, also one that stops at a key's first failure
         * and reports only that one; costs re-sending the later records of the lane (the function's dedupe absorbs
         * what it had processed).
         */
        LANE,
        /**
         * Only the records the function names. Right for a function that names every record it did not process —
         * Sluice's dispatcher does, holding back a failed key's later records — and re-sends nothing else; with a
         * function that skips records without naming them, those would count as delivered.
         */
        NAMED
    }

    private static final Map<String, Resend> RESEND_NAMES = new LinkedHashMap<>();

    static {
        RESEND_NAMES.put("lane", Resend.LANE);
        RESEND_NAMES.put("named", Resend.NAMED);
    }

    public RetrySettings(int maxAttempts, long baseDelayMs, long maxDelayMs) {
        this(maxAttempts, baseDelayMs, maxDelayMs, Resend.LANE);
    }

    public static RetrySettings from(Cfg c) {
        RetrySettings s = new RetrySettings(
                c.intIn("maxAttempts", 5, 1, 100),
                c.longIn("baseDelayMs", 100, 1, 60_000),
                c.longIn("maxDelayMs", 5_000, 1, 600_000),
                c.oneOf("onPartialFailure", "lane", RESEND_NAMES));
        c.done();
        if (s.maxDelayMs < s.baseDelayMs) {
            throw new ConfigException(c.key("maxDelayMs"), "must be >= baseDelayMs (" + s.baseDelayMs + "), got " + s.maxDelayMs);
        }
        return s;
    }
}
