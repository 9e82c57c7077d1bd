package io.sluice.ops.partitions;

import java.util.List;
import java.util.Locale;

/** The text of {@code plan partitions}: the inputs, the capacities, what is needed, what N → M does. Pure logic. */
final class PlanReport {
    private PlanReport() {}

    /**
     * @param m          what the instance measured (its values may have been replaced by options)
     * @param plan       the formula's inputs
     * @param partitions N, the topic's partitions now
     * @param consumers  C, the group's members now
     * @param to         M for the key-placement section (0: the doubling that covers the need)
     */
    static String format(
            String source,
            Measured m,
            PlanPartitionsInputs in,
            PartitionPlan plan,
            int partitions,
            int consumers,
            int to) {
        StringBuilder b = new StringBuilder();
        b.append(f(
                "plan for topic %s (pipeline %s, ordering %s) at %.0f records/s, headroom %.2f%n%n",
                m.topic(), m.pipeline(), m.ordering(), plan.targetRate(), plan.headroom()));
        b.append(f("measured (%s, hot-key window %d s):%n", source, m.windowSeconds()));
        b.append(f(
                "  topic rate            %.1f records/s over %d partitions (busiest %s: %.1f/s)%n",
                m.topicRate(),
                m.partitionsSeen(),
                m.maxPartition() == null ? "-" : m.maxPartition(),
                m.maxPartitionRate()));
        b.append(f("  function latency p99  %.1f ms%s%n", plan.p99Seconds() * 1000, in.p99Given() ? " (given)" : ""));
        b.append(f(
                "  effective batch       %.1f records per invocation, %.1f lanes per invocation%s%n",
                plan.recordsPerBatch(), plan.lanesPerBatch(), in.batchGiven() ? " (given)" : ""));
        b.append(f(
                "  hottest key           %s, %.1f%% of the topic's records%s%n",
                m.hotKey() == null ? "(none stands out)" : m.hotKey(),
                plan.hotShare() * 100,
                in.hotShareGiven() ? " (given)" : ""));
        b.append(f(
                "  current               %d partitions, %d consumer(s)%s%n", partitions, consumers, in.kafkaSource()));
        b.append(f(
                "  consumer capacity     %.1f records/s per consumer%s%n%n",
                plan.consumerCapacity(),
                in.capacityGiven()
                        ? " (given)"
                        : " (what one consumer delivers now: a lower bound unless it is saturated)"));
        b.append("capacity (one batch in flight per lane):\n");
        b.append(f(
                "  one lane              %.1f records/s (the larger of %.1f records per lane / %.3f s = %.1f/s and the busiest"
                        + " lane now: %.1f/s)%n",
                plan.laneCapacity(),
                plan.recordsPerBatch() / plan.lanesPerBatch(),
                plan.p99Seconds(),
                plan.batchLaneCapacity(),
                plan.observedLaneRate()));
        b.append(f(
                "  one partition         %.1f records/s (%d lane(s) per partition)%n",
                plan.partitionCapacity(), plan.lanesPerPartition()));
        b.append(f(
                "  hottest key at target %.1f records/s (one lane, planned at most %.1f)%n%n",
                plan.hotKeyRate(), plan.headroom() * plan.laneCapacity()));
        int needed = plan.partitions();
        b.append(f("needed at %.0f records/s:%n", plan.targetRate()));
        int placementTo;
        if (needed < 0) {
            b.append(
                    "  partitions needed     none suffices: the hottest key alone exceeds one lane; more partitions do not"
                            + " split a key (ordering=key with more lanes, a finer key, or a faster function do)\n");
            placementTo = to > 0 ? to : partitions * 2;
        } else {
            int doubled = PartitionPlan.doubling(partitions, needed);
            b.append(f(
                    "  partitions needed     %d   ((1 - s)·R / (u·μp - s·R) = %.2f); doubling from %d: %d%s%n",
                    needed,
                    (1 - plan.hotShare())
                            * plan.targetRate()
                            / (plan.headroom() * plan.partitionCapacity() - plan.hotKeyRate()),
                    partitions,
                    doubled,
                    doubled == partitions ? "  (the current " + partitions + " suffice)" : ""));
            int c = plan.consumers(Math.max(needed, doubled));
            b.append(f("  consumers needed      %d   (⌈R / (u·κ)⌉, at most the partitions)%n", c));
            placementTo = to > 0 ? to : doubled;
        }
        b.append(f("  function concurrency  %d   (R / B · L)%n%n", plan.concurrency()));
        if (placementTo != partitions) {
            b.append(placement(partitions, placementTo, m.hotKeys()));
        }
        return b.toString().stripTrailing();
    }

    static String placement(int from, int to, List<String> hotKeys) {
        StringBuilder b = new StringBuilder(f("going from %d to %d partitions:%n", from, to));
        double stay = KeyPlacement.stayingShare(from, to);
        b.append(f(
                "  keys that move        %.1f%% (a key stays when murmur2 mod %d = murmur2 mod %d: %.1f%% of hashes)%n",
                (1 - stay) * 100, from, to, stay * 100));
        for (String k : hotKeys.subList(0, Math.min(5, hotKeys.size()))) {
            int a = KeyPlacement.partition(k, from);
            int c = KeyPlacement.partition(k, to);
            b.append(f("  %-21s partition %d -> %d%s%n", k, a, c, a == c ? " (stays)" : " (moves)"));
        }
        b.append(
                "  ordering              per-key order holds within each partition; a key that moves has older records on\n"
                        + "                        its old partition and new ones on the new: drain the lag to 0 before producers\n"
                        + "                        see the new count (metadata.max.age.ms) or a moved key's records can be delivered\n"
                        + "                        out of order for as long as the old partition's lag\n");
        return b.toString();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
