package io.sluice.lag;

/**
 * One observation of a partition.
 *
 * @param timeMs     when it was taken
 * @param committed  the committed offset (-1 when none)
 * @param endOffset  the log end offset (-1 when unknown)
 * @param inFlight   records fetched by the consumer and not final yet
 */
public record LagSample(long timeMs, long committed, long endOffset, int inFlight) {

    /** End offset minus committed offset (a missing commit counts as 0), never negative; 0 when the end is unknown. */
    public long lagRecords() {
        if (endOffset < 0) {
            return 0;
        }
        return Math.max(0, endOffset - Math.max(committed, 0));
    }
}
