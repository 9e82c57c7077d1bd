package io.sluice.consumer;

/**
 * When a run of failed commits is worth a log line. Commits are retried on every completion and interval, so
 * while Kafka is away they fail many times a second; the log gets one WARN when a run of failures starts, at
 * most one summary per {@code summaryIntervalMs} while it lasts, and one INFO when a commit succeeds again.
 * Pure logic, confined to the consumer's event loop.
 */
final class CommitFailures {
    /** What to log about a commit result; {@code NONE} for nothing. */
    enum Say {
        NONE,
        FIRST_FAILURE,
        STILL_FAILING,
        RECOVERED
    }

    private final long summaryIntervalMs;
    private long failingSinceMs = -1;
    private long lastWarnMs;
    private int failures;

    CommitFailures(long summaryIntervalMs) {
        this.summaryIntervalMs = summaryIntervalMs;
    }

    Say failed(long nowMs) {
        failures++;
        if (failingSinceMs < 0) {
            failingSinceMs = nowMs;
            lastWarnMs = nowMs;
            return Say.FIRST_FAILURE;
        }
        if (nowMs - lastWarnMs >= summaryIntervalMs) {
            lastWarnMs = nowMs;
            return Say.STILL_FAILING;
        }
        return Say.NONE;
    }

    /** A commit succeeded; RECOVERED when it ends a run of failures (read {@link #failures()} and {@link #failingForMs} first). */
    Say succeeded() {
        if (failingSinceMs < 0) {
            return Say.NONE;
        }
        failingSinceMs = -1;
        failures = 0;
        return Say.RECOVERED;
    }

    /** Failed commits in the current run. */
    int failures() {
        return failures;
    }

    long failingForMs(long nowMs) {
        return failingSinceMs < 0 ? 0 : nowMs - failingSinceMs;
    }
}
