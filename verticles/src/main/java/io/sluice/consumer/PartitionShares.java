package io.sluice.consumer;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions to pause because they hold more than their share of the in-flight bound, so a hot key's
 * backlog pauses its own partition and never the cold ones. A partition's share is the bound divided by the
 * partitions assigned, never less than {@code floorRecords} (what one full batch needs) or the bytes of that;
 * it is paused at its share and resumed under share × resume ratio (no flapping). The global bound
 * ({@link PauseState}) still pauses everything above the whole limit, judged on {@link Change#effectiveRecords()}. Pure logic, confined to the consumer's
 * event loop.
 */
final class PartitionShares {
    /** In-flight of one partition. */
    record Load(int records, long bytes) {}

    /**
     * What changed: partitions to pause now and partitions to resume now; and the in-flight the global bound
     * should judge: a partition paused over its share counts at most share × resume ratio, so a held hot
     * partition (which cannot grow, being paused) never keeps the whole consumer paused.
     */
    record Change(Set<TopicPartition> pause, Set<TopicPartition> resume, long effectiveRecords, long effectiveBytes) {
        boolean isEmpty() {
            return pause.isEmpty() && resume.isEmpty();
        }
    }

    private final long maxRecords;
    private final long maxBytes;
    private final double resumeRatio;
    private final long floorRecords;
    private final Set<TopicPartition> over = new HashSet<>();

    PartitionShares(long maxRecords, long maxBytes, double resumeRatio, long floorRecords) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.resumeRatio = resumeRatio;
        this.floorRecords = Math.min(floorRecords, maxRecords);
    }

    /** Re-evaluates every assigned partition; partitions no longer in {@code loads} are forgotten. */
    Change update(Map<TopicPartition, Load> loads) {
        over.retainAll(loads.keySet());
        int n = Math.max(1, loads.size());
        long shareRecords = Math.max(maxRecords / n, floorRecords);
        long shareBytes = Math.max(maxBytes / n, maxBytes * floorRecords / Math.max(1, maxRecords));
        Set<TopicPartition> pause = new HashSet<>();
        Set<TopicPartition> resume = new HashSet<>();
        loads.forEach((tp, l) -> {
            if (!over.contains(tp) && (l.records() >= shareRecords || l.bytes() >= shareBytes)) {
                over.add(tp);
                pause.add(tp);
            } else if (over.contains(tp)
                    && l.records() <= shareRecords * resumeRatio
                    && l.bytes() <= shareBytes * resumeRatio) {
                over.remove(tp);
                resume.add(tp);
            }
        });
        long effRecords = 0;
        long effBytes = 0;
        for (Map.Entry<TopicPartition, Load> e : loads.entrySet()) {
            Load l = e.getValue();
            boolean capped = over.contains(e.getKey());
            effRecords += capped ? Math.min(l.records(), (long) (shareRecords * resumeRatio)) : l.records();
            effBytes += capped ? Math.min(l.bytes(), (long) (shareBytes * resumeRatio)) : l.bytes();
        }
        return new Change(pause, resume, effRecords, effBytes);
    }

    /** How many partitions are paused for being over their share. */
    int overCount() {
        return over.size();
    }

    /** Partitions paused for being over their share. */
    Set<TopicPartition> over() {
        return Set.copyOf(over);
    }
}
