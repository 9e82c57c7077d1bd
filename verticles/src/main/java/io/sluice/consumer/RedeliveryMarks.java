package io.sluice.consumer;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Which fetched records may have been delivered before (by this process, or by the partition's previous owner):
 * the records Sluice marks as suspects so that the function's dedupe ({@code dedupe.onlySuspects}) reads its store
 * only for them. Pure bookkeeping, consumer thread only.
 *
 * <p>Rule: a record of partition P at offset o is a suspect when {@code o < suspectBelow(P)}, where, on each
 * assignment of P, {@code suspectBelow(P) = max(end offset of P when it was assigned, highest offset + 1 this process
 * ever fetched from P)}, and it then grows with every fetch of P. Why it is sound:
 * <ul>
 *   <li>a previous owner (a killed, stopped or restarted process, or this process before a revocation) can only
 *       have delivered records that existed before P moved here, i.e. below P's end offset at assignment — however
 *       far its commits lagged behind, and whatever it had in flight;</li>
 *   <li>a replay or re-fetch inside this process (a seek back, a re-assignment of a partition it had) fetches
 *       records below the highest offset it already fetched;</li>
 *   <li>an in-process retry of an invocation is marked by the invocation itself ({@code sluiceDeliveryAttempt} in the
 *       payload), not here.</li>
 * </ul>
 * What it over-marks: records appended between the previous owner's last fetch and the assignment (at most the
 * input rate times the session timeout for a killed member). What it cannot see: a zombie owner that keeps fetching
 * after it lost the partition (its session expired while it still ran); keep the function's timeout below the
 * session timeout, or run the function with {@code onlySuspects} off, if that matters. When P's end offset cannot be
 * read at assignment, every record of that assignment is a suspect.
 */
final class RedeliveryMarks {
    private final Map<TopicPartition, long[]> below = new HashMap<>();
    private final Map<TopicPartition, Long> fetchedHigh = new HashMap<>();

    /** P was assigned; {@code endOffset} is its end offset read then ({@code -1}: unknown, everything is a suspect). */
    public void assigned(TopicPartition tp, long endOffset) {
        long end = endOffset < 0 ? Long.MAX_VALUE : endOffset;
        below.put(tp, new long[] {Math.max(end, fetchedHigh.getOrDefault(tp, 0L))});
    }

    /**
     * The bound for a poll's records of {@code tp} (read before {@link #fetched}): records below it are suspects.
     * 0 (nothing suspect) for a partition never assigned through {@link #assigned}.
     */
    public long suspectBelow(TopicPartition tp) {
        long[] b = below.get(tp);
        return b == null ? 0L : b[0];
    }

    /** A poll fetched {@code tp}'s records up to {@code lastOffset}. */
    public void fetched(TopicPartition tp, long lastOffset) {
        long next = lastOffset + 1;
        fetchedHigh.merge(tp, next, Math::max);
        long[] b = below.get(tp);
        if (b != null && b[0] < next) {
            b[0] = next;
        }
    }
}
