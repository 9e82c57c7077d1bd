package io.sluice.consumer;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Offset bookkeeping for every assigned partition of one consumer. Each assignment of a partition
 * gets a new epoch; completions carrying an older epoch (the partition was revoked, maybe re-assigned
 * meanwhile) are ignored, so they never move a newer tracker. Confined to the consumer's event loop.
 */
final class OffsetTracker {
    private final Map<TopicPartition, PartitionOffsets> partitions = new HashMap<>();

    /** Starts tracking a newly assigned partition under the epoch the poll loop gave this assignment. */
    public void assign(TopicPartition tp, long epoch, long committedOffset) {
        partitions.put(tp, new PartitionOffsets(epoch, committedOffset));
    }

    /** Stops tracking; later completions for it are ignored. */
    public void revoke(Collection<TopicPartition> tps) {
        tps.forEach(partitions::remove);
    }

    public Set<TopicPartition> assigned() {
        return partitions.keySet();
    }

    /** The epoch of the current assignment of {@code tp}, or -1 if not assigned. */
    public long epoch(TopicPartition tp) {
        PartitionOffsets p = partitions.get(tp);
        return p == null ? -1 : p.epoch();
    }

    public PartitionOffsets get(TopicPartition tp) {
        return partitions.get(tp);
    }

    /** Records fetched offsets (ascending) of a currently assigned partition. */
    public boolean fetched(TopicPartition tp, long epoch, long[] offsets, long[] timestamps, int[] sizes) {
        PartitionOffsets p = partitions.get(tp);
        if (p == null || p.epoch() != epoch) {
            return false;
        }
        p.fetched(offsets, timestamps, sizes);
        return true;
    }

    /**
     * Marks records final if {@code epoch} is the partition's current epoch.
     *
     * @return how many records became final (0 for a stale completion)
     */
    public int complete(TopicPartition tp, long epoch, long[] offsets) {
        PartitionOffsets p = partitions.get(tp);
        if (p == null || p.epoch() != epoch) {
            return 0;
        }
        int n = 0;
        for (long o : offsets) {
            if (p.markFinal(o)) {
                n++;
            }
        }
        return n;
    }

    /** Partitions whose commit position moved past the last committed offset, with that position. */
    public Map<TopicPartition, Long> commitCandidates() {
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        partitions.forEach((tp, p) -> {
            long c = p.commitCandidate();
            if (c >= 0) {
                out.put(tp, c);
            }
        });
        return out;
    }

    /** Commit positions of the given partitions (all known ones), regardless of whether they moved. */
    public Map<TopicPartition, Long> commitPositions(Collection<TopicPartition> tps) {
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        for (TopicPartition tp : tps) {
            PartitionOffsets p = partitions.get(tp);
            if (p != null && p.commitPosition() >= 0) {
                out.put(tp, p.commitPosition());
            }
        }
        return out;
    }

    /** Notes a successful commit (only moves forward, only for the same epoch's tracker). */
    public void committed(TopicPartition tp, long epoch, long offset) {
        PartitionOffsets p = partitions.get(tp);
        if (p != null && p.epoch() == epoch) {
            p.committed(offset);
        }
    }

    /** Records fetched and not final, over all assigned partitions. */
    public int pending() {
        int n = 0;
        for (PartitionOffsets p : partitions.values()) {
            n += p.pending();
        }
        return n;
    }

    /** Bytes of records fetched and not final, over all assigned partitions. */
    public long pendingBytes() {
        long n = 0;
        for (PartitionOffsets p : partitions.values()) {
            n += p.pendingBytes();
        }
        return n;
    }
}
