package io.sluice.dispatch;

/**
 * The state of a DLQ topic as its writer sees it, and when to say so in the log. Pure logic, thread-safe
 * (the writer is shared by the pipeline's dispatch instances).
 *
 * <p>A record is <em>waiting</em> from its first failed write until a write of it succeeds; the topic is
 * unavailable while any record waits. The log gets at most one WARN per {@code summaryIntervalMs}: the
 * first failure of an outage (if no WARN was due sooner), then a summary while it lasts; and one INFO
 * when the last waiting record is written, if the outage was reported at all.
 */
final class DlqOutage {
    /** What to log, decided under the lock and logged outside it. */
    record Report(
            Kind kind,
            int waitingRecords,
            long unavailableForMs,
            int writtenAfterRetry,
            int givenUp,
            String lastError) {}

    enum Kind {
        /** The first failure of an outage. */
        STARTED,
        /** The outage goes on. */
        ONGOING,
        /** Nothing waits any more ({@code givenUp} records were abandoned: the producer closed). */
        RECOVERED
    }

    private final long summaryIntervalMs;
    private int waiting;
    private long sinceMs = -1;
    private String lastError;
    private long lastWarnMs = Long.MIN_VALUE;
    private boolean reported;
    private int writtenAfterRetry;
    private int givenUp;

    DlqOutage(long summaryIntervalMs) {
        this.summaryIntervalMs = summaryIntervalMs;
    }

    /**
     * A write failed at {@code nowMs}; {@code firstFailureOfRecord} when the record was not waiting yet.
     * Returns what to log, or null.
     */
    synchronized Report failed(long nowMs, boolean firstFailureOfRecord, String error) {
        lastError = error;
        if (firstFailureOfRecord) {
            if (waiting++ == 0) {
                sinceMs = nowMs;
                reported = false;
                writtenAfterRetry = 0;
                givenUp = 0;
            }
        }
        if (lastWarnMs != Long.MIN_VALUE && nowMs - lastWarnMs < summaryIntervalMs) {
            return null;
        }
        lastWarnMs = nowMs;
        Kind kind = reported ? Kind.ONGOING : Kind.STARTED;
        reported = true;
        return new Report(kind, waiting, nowMs - sinceMs, writtenAfterRetry, givenUp, error);
    }

    /**
     * A record that was waiting is written ({@code written}) or given up at {@code nowMs}. Returns what to log,
     * or null.
     */
    synchronized Report settled(long nowMs, boolean written) {
        if (waiting == 0) {
            return null; // not counted as waiting (cannot happen)
        }
        if (written) {
            writtenAfterRetry++;
        } else {
            givenUp++;
        }
        if (--waiting > 0) {
            return null;
        }
        Report r =
                reported ? new Report(Kind.RECOVERED, 0, nowMs - sinceMs, writtenAfterRetry, givenUp, lastError) : null;
        sinceMs = -1;
        lastError = null;
        reported = false;
        return r;
    }

    synchronized DeadLetterWriter.Health health() {
        return new DeadLetterWriter.Health(waiting == 0, waiting, sinceMs, lastError);
    }
}
