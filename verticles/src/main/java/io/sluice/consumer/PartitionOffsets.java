package io.sluice.consumer;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Which fetched offsets of one partition are final, and the offset that is safe to commit.
 *
 * <p>Offsets are not dense (transaction markers, compaction): the tracker only knows the offsets each
 * poll returned, kept as segments in fetch order. The commit position is the first fetched offset
 * that is not final; when everything fetched is final it is the offset after the last fetched one.
 * Never skips a record that is not final; never waits for an offset that was never fetched.
 * Confined to one thread (the consumer verticle's event loop).
 */
final class PartitionOffsets {
    private final long epoch;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private long nextOffset;
    private long committed;
    private int pending;
    private long pendingBytes;
    private long lastFetchedTimestamp = -1;

    /**
     * @param epoch     assignment epoch this tracker belongs to
     * @param committed the committed offset at assignment (or -1 when unknown)
     */
    public PartitionOffsets(long epoch, long committed) {
        this.epoch = epoch;
        this.committed = committed;
        this.nextOffset = committed;
    }

    public long epoch() {
        return epoch;
    }

    /** Records one poll's offsets for this partition, ascending; {@code timestamps}, {@code sizes} parallel to it. */
    public void fetched(long[] offsets, long[] timestamps, int[] sizes) {
        if (offsets.length == 0) {
            return;
        }
        if (offsets[0] < nextOffset && nextOffset >= 0) {
            // a re-fetch after seek (e.g. reset): keep only what is new
            int from = 0;
            while (from < offsets.length && offsets[from] < nextOffset) {
                from++;
            }
            if (from == offsets.length) {
                return;
            }
            offsets = Arrays.copyOfRange(offsets, from, offsets.length);
            timestamps = Arrays.copyOfRange(timestamps, from, timestamps.length);
            sizes = Arrays.copyOfRange(sizes, from, sizes.length);
        }
        segments.addLast(new Segment(offsets, timestamps, sizes));
        nextOffset = offsets[offsets.length - 1] + 1;
        lastFetchedTimestamp = timestamps[timestamps.length - 1];
        pending += offsets.length;
        for (int size : sizes) {
            pendingBytes += size;
        }
    }

    /** Marks an offset final. Returns false if it is unknown or already final. */
    public boolean markFinal(long offset) {
        for (Segment s : segments) {
            if (offset < s.offsets[0]) {
                return false;
            }
            if (offset <= s.offsets[s.offsets.length - 1]) {
                int i = Arrays.binarySearch(s.offsets, offset);
                if (i < 0 || s.done.get(i)) {
                    return false;
                }
                s.done.set(i);
                s.doneCount++;
                pending--;
                pendingBytes -= s.sizes[i];
                dropFinishedHead();
                return true;
            }
        }
        return false;
    }

    private void dropFinishedHead() {
        while (!segments.isEmpty() && segments.peekFirst().doneCount == segments.peekFirst().offsets.length) {
            segments.removeFirst();
        }
    }

    /** The offset to commit now (first non-final fetched offset, or after the last fetched), -1 if none known. */
    public long commitPosition() {
        Segment head = segments.peekFirst();
        if (head == null) {
            return nextOffset;
        }
        int i = head.done.nextClearBit(0);
        return head.offsets[i];
    }

    /** A commit position greater than the last committed one, or -1 when there is nothing new to commit. */
    public long commitCandidate() {
        long p = commitPosition();
        return p > committed ? p : -1;
    }

    public void committed(long offset) {
        if (offset > committed) {
            committed = offset;
        }
    }

    public long committed() {
        return committed;
    }

    /** Fetched records not final yet. */
    public int pending() {
        return pending;
    }

    /** Bytes of fetched records not final yet. */
    public long pendingBytes() {
        return pendingBytes;
    }

    /** Timestamp of the last record fetched, or -1 before the first fetch. */
    public long lastFetchedTimestamp() {
        return lastFetchedTimestamp;
    }

    /** The offset after the last fetched record (or the committed offset before the first fetch). */
    public long nextOffset() {
        return nextOffset;
    }

    /** Timestamp of the oldest record not yet final, or -1 when none is pending. */
    public long oldestPendingTimestamp() {
        Segment head = segments.peekFirst();
        if (head == null) {
            return -1;
        }
        return head.timestamps[head.done.nextClearBit(0)];
    }

    private static final class Segment {
        final long[] offsets;
        final long[] timestamps;
        final int[] sizes;
        final BitSet done;
        int doneCount;

        Segment(long[] offsets, long[] timestamps, int[] sizes) {
            this.offsets = offsets;
            this.timestamps = timestamps;
            this.sizes = sizes;
            this.done = new BitSet(offsets.length);
        }
    }
}
