package io.sluice.dispatch;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
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

    private static final Key<Integer> MAX_ATTEMPTS = Key.integer(
            "maxAttempts", 5, 1, 100, "invocation attempts of a batch before its failed records go to the DLQ");
    private static final Key<Long> BASE_DELAY_MS = Key.longInt(
            "baseDelayMs", 100, 1, 60_000, "backoff before the second attempt: exponential with full jitter");
    private static final Key<Long> MAX_DELAY_MS =
            Key.longInt("maxDelayMs", 5_000, 1, 600_000, "the largest backoff (>= baseDelayMs)");
    private static final Key<Resend> ON_PARTIAL_FAILURE = Key.oneOf(
            "onPartialFailure",
            "lane",
            RESEND_NAMES,
            "after batchItemFailures: lane re-sends each lane from its first failed record (safe with any function); "
                    + "named re-sends only the named records (for functions that name every record they skipped, as "
                    + "Sluice's dispatcher does); see dispatch-engine.md");
    /** {@code pipelines[].retry}. */
    public static final Section SECTION = Section.of(
            "retries of failed invocations, then the DLQ",
            MAX_ATTEMPTS,
            BASE_DELAY_MS,
            MAX_DELAY_MS,
            ON_PARTIAL_FAILURE);

    public static RetrySettings from(Cfg c) {
        RetrySettings s = new RetrySettings(
                c.get(MAX_ATTEMPTS), c.get(BASE_DELAY_MS), c.get(MAX_DELAY_MS), c.get(ON_PARTIAL_FAILURE));
        c.done();
        if (s.maxDelayMs < s.baseDelayMs) {
            throw new ConfigException(
                    c.key("maxDelayMs"), "must be >= baseDelayMs (" + s.baseDelayMs + "), got " + s.maxDelayMs);
        }
        return s;
    }
}
