package io.sluice.consumer;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer-thread part of a replay (runs inside {@link KafkaPollLoop#call}): offset look-ups (beginning, end,
 * by time), and for a real replay the commit of the final offsets, the seek, the commit of the targets and new
 * assignment epochs. Every Kafka call has a bound of {@value #TIMEOUT_S} s; they delay the next poll, which is why
 * a real replay runs while the consumer is paused.
 */
final class ReplaySeek {
    static final long TIMEOUT_S = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_S);

    /** What a replay did: its plan, and the new epoch and start offset of each moved partition. */
    record Done(ReplayPlan plan, Map<TopicPartition, long[]> epochAndTarget) {}

    private ReplaySeek() {}

    /** The plan, changing nothing: {@code committed} are the verticle's committed offsets. */
    static ReplayPlan plan(Consumer<byte[], byte[]> c, ReplayRequest req, Map<TopicPartition, Long> committed) {
        Set<TopicPartition> assigned = new HashSet<>(c.assignment());
        Map<TopicPartition, Long> beginning = c.beginningOffsets(assigned, TIMEOUT);
        Map<TopicPartition, Long> end = c.endOffsets(assigned, TIMEOUT);
        Map<TopicPartition, Long> targets =
                ReplayPlan.targets(req, assigned, committed, beginning, end, byTime(c, req, assigned));
        return ReplayPlan.of(req, targets, committed, beginning, end);
    }

    /**
     * Commits {@code finals} (the drained commit positions), seeks every assigned partition to its target, commits
     * the targets (so a member that takes a partition over in a rebalance starts there too) and gives the moved
     * partitions new epochs ({@code renewEpochs}): anything of the old position that still arrives is stale.
     */
    static Done seek(
            Consumer<byte[], byte[]> c,
            ReplayRequest req,
            Map<TopicPartition, Long> finals,
            Function<Set<TopicPartition>, Map<TopicPartition, Long>> renewEpochs) {
        Set<TopicPartition> assigned = new HashSet<>(c.assignment());
        Map<TopicPartition, Long> kept = new HashMap<>(finals);
        kept.keySet().retainAll(assigned);
        if (!kept.isEmpty()) {
            c.commitSync(meta(kept), TIMEOUT);
        }
        Map<TopicPartition, Long> beginning = c.beginningOffsets(assigned, TIMEOUT);
        Map<TopicPartition, Long> end = c.endOffsets(assigned, TIMEOUT);
        Map<TopicPartition, Long> targets =
                ReplayPlan.targets(req, assigned, kept, beginning, end, byTime(c, req, assigned));
        targets.forEach(c::seek);
        if (!targets.isEmpty()) {
            c.commitSync(meta(targets), TIMEOUT);
        }
        Map<TopicPartition, Long> epochs = renewEpochs.apply(targets.keySet());
        Map<TopicPartition, long[]> moved = new HashMap<>();
        targets.forEach((tp, t) -> moved.put(tp, new long[] {epochs.get(tp), t}));
        return new Done(ReplayPlan.of(req, targets, kept, beginning, end), moved);
    }

    private static Map<TopicPartition, Long> byTime(
            Consumer<byte[], byte[]> c, ReplayRequest req, Set<TopicPartition> tps) {
        if (req.to() != ReplayRequest.To.TIMESTAMP || tps.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, Long> q = new HashMap<>();
        tps.forEach(tp -> q.put(tp, req.timestampMs()));
        Map<TopicPartition, Long> out = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndTimestamp> e :
                c.offsetsForTimes(q, TIMEOUT).entrySet()) {
            if (e.getValue() != null) {
                out.put(e.getKey(), e.getValue().offset());
            }
        }
        return out;
    }

    private static Map<TopicPartition, OffsetAndMetadata> meta(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
        offsets.forEach((tp, o) -> m.put(tp, new OffsetAndMetadata(o)));
        return m;
    }
}
