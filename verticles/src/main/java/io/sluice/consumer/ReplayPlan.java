package io.sluice.consumer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * What a replay does per partition: the committed offset, the target, and how many records are delivered again
 * (or skipped, when the target is past the committed offset). Pure logic.
 *
 * @param partitions  the partitions assigned to this instance, by topic and partition
 * @param notAssigned partitions named in an {@code offsets} request that this instance does not own (left alone)
 */
public record ReplayPlan(List<Row> partitions, List<String> notAssigned) {
    /**
     * One partition.
     *
     * @param committed   its committed offset before the replay (-1: none)
     * @param target      where it starts again
     * @param redelivered records between the target and the committed offset: delivered again
     * @param skipped     records between the committed offset and the target: never delivered (a forward move)
     */
    public record Row(
            String topic,
            int partition,
            long committed,
            long target,
            long beginning,
            long end,
            long redelivered,
            long skipped) {}

    public long redelivered() {
        return partitions.stream().mapToLong(Row::redelivered).sum();
    }

    public long skipped() {
        return partitions.stream().mapToLong(Row::skipped).sum();
    }

    /**
     * The target of every assigned partition: the beginning, the end, the offset for the timestamp (the end when no
     * record is that late), or the given offset clamped to [beginning, end]; a partition not given in an
     * {@code offsets} request keeps its committed offset (or is left out when it has none).
     *
     * @param byTime the first offset at or after the timestamp per partition, null/absent when there is none
     */
    public static Map<TopicPartition, Long> targets(
            ReplayRequest req,
            Set<TopicPartition> assigned,
            Map<TopicPartition, Long> committed,
            Map<TopicPartition, Long> beginning,
            Map<TopicPartition, Long> end,
            Map<TopicPartition, Long> byTime) {
        Map<TopicPartition, Long> out = new java.util.HashMap<>();
        for (TopicPartition tp : assigned) {
            long b = beginning.get(tp);
            long e = end.get(tp);
            Long t = switch (req.to()) {
                case EARLIEST -> b;
                case LATEST -> e;
                case TIMESTAMP -> byTime.get(tp) == null ? e : byTime.get(tp);
                case OFFSETS ->
                    req.offsets().containsKey(tp)
                            ? Long.valueOf(Math.max(b, Math.min(e, req.offsets().get(tp))))
                            : committed.getOrDefault(tp, -1L) >= 0 ? committed.get(tp) : null;
            };
            if (t != null) {
                out.put(tp, t);
            }
        }
        return out;
    }

    /** The plan for these targets. */
    public static ReplayPlan of(
            ReplayRequest req,
            Map<TopicPartition, Long> targets,
            Map<TopicPartition, Long> committed,
            Map<TopicPartition, Long> beginning,
            Map<TopicPartition, Long> end) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> t : targets.entrySet()) {
            TopicPartition tp = t.getKey();
            long target = t.getValue();
            long c = committed.getOrDefault(tp, -1L);
            long b = beginning.get(tp);
            long e = end.get(tp);
            // with no commit the partition would start at its beginning (auto.offset.reset=earliest)
            long from = c < 0 ? b : Math.min(Math.max(c, b), e);
            rows.add(new Row(
                    tp.topic(),
                    tp.partition(),
                    c,
                    target,
                    b,
                    e,
                    Math.max(0, from - target),
                    Math.max(0, target - from)));
        }
        rows.sort(Comparator.comparing(Row::topic).thenComparingInt(Row::partition));
        Set<String> other = new TreeSet<>();
        if (req.to() == ReplayRequest.To.OFFSETS) {
            req.offsets().keySet().stream()
                    .filter(tp -> !targets.containsKey(tp) || !beginning.containsKey(tp))
                    .forEach(tp -> other.add(tp.topic() + "-" + tp.partition()));
        }
        return new ReplayPlan(List.copyOf(rows), List.copyOf(other));
    }
}
