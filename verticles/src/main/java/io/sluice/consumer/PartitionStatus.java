package io.sluice.consumer;

/**
 * A snapshot of one assigned partition, for status and lag.
 *
 * @param committed          last committed offset (-1 if none)
 * @param endOffset          log end offset (-1 if unknown)
 * @param lagRecords         end offset minus committed offset
 * @param lagSeconds         age of the oldest record not yet final (0 when nothing is behind)
 * @param inFlight           records fetched and not yet final
 * @param paused             whether the consumer is paused
 */
public record PartitionStatus(
        String topic,
        int partition,
        long committed,
        long endOffset,
        long lagRecords,
        double lagSeconds,
        int inFlight,
        boolean paused) {

    /**
     * Lag in seconds from the tracker's view: the oldest pending record's age; when nothing fetched is
     * pending but the log has more (paused, or not polled yet), the age of the last fetched record is
     * the lower bound of the next one's age. Pure.
     */
    public static double lagSeconds(long nowMs, long lagRecords, long oldestPendingTs, long lastFetchedTs) {
        if (oldestPendingTs >= 0) {
            return Math.max(0, nowMs - oldestPendingTs) / 1000.0;
        }
        if (lagRecords > 0 && lastFetchedTs >= 0) {
            return Math.max(0, nowMs - lastFetchedTs) / 1000.0;
        }
        return 0;
    }
}
