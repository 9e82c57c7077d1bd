package io.sluice.ops.partitions;

/**
 * The {@code plan partitions} formula (docs/operations-partitions.md, "The formula"). Pure arithmetic.
 *
 * <p>One lane (a partition in {@code partition} ordering, a key lane in {@code key} ordering) has one batch in
 * flight, so it moves at most {@code b / L} records/s: {@code b} records per lane per invocation (the effective
 * batch: mean records / mean lanes per invocation) and {@code L} the function's p99 latency. Adaptive batches grow
 * with the load, so at a light load {@code b / L} is below what a lane already moves; the lane's capacity is taken
 * as {@code μlane = max(b / L, the busiest lane's rate now)}. A partition
 * has {@code lanesPerPartition} lanes: {@code μp = lanesPerPartition · μlane}. One key is always in one lane.
 * At a target rate {@code R} with the largest key carrying share {@code s} of the topic's records, the partition
 * holding that key gets {@code s·R + (1 − s)·R / P}; keeping every partition under {@code u · μp} (headroom
 * {@code u}) needs
 * <pre>  P ≥ (1 − s) · R / (u · μp − s · R)        (and s · R ≤ u · μlane: the key fits one lane)</pre>
 * Consumers: {@code C = min(P, ⌈R / (u · κ)⌉)} with {@code κ} one consumer's capacity. Function concurrency by
 * Little's law: {@code R / B · L} ({@code B} records per invocation).
 *
 * @param targetRate        R, records/s for the topic
 * @param p99Seconds        L
 * @param recordsPerBatch   B, mean records per invocation
 * @param lanesPerBatch     mean lanes per invocation (≥ 1)
 * @param lanesPerPartition 1 ({@code partition} ordering) or the pipeline's {@code lanes} ({@code key} ordering)
 * @param hotShare          s, the largest key's share of the topic's records (0..1)
 * @param consumerCapacity  κ, records/s one consumer handles
 * @param headroom          u (0..1], the utilisation planned for
 * @param observedLaneRate  records/s the busiest lane moves now (0: unknown), a floor under {@code b / L}
 */
public record PartitionPlan(
        double targetRate,
        double p99Seconds,
        double recordsPerBatch,
        double lanesPerBatch,
        int lanesPerPartition,
        double hotShare,
        double consumerCapacity,
        double headroom,
        double observedLaneRate) {

    /** Without an observed lane rate. */
    public PartitionPlan(
            double targetRate,
            double p99Seconds,
            double recordsPerBatch,
            double lanesPerBatch,
            int lanesPerPartition,
            double hotShare,
            double consumerCapacity,
            double headroom) {
        this(
                targetRate,
                p99Seconds,
                recordsPerBatch,
                lanesPerBatch,
                lanesPerPartition,
                hotShare,
                consumerCapacity,
                headroom,
                0);
    }

    public PartitionPlan {
        if (!(targetRate > 0)
                || !(p99Seconds > 0)
                || !(recordsPerBatch > 0)
                || lanesPerPartition < 1
                || hotShare < 0
                || hotShare > 1
                || !(consumerCapacity > 0)
                || !(headroom > 0)
                || headroom > 1
                || !(observedLaneRate >= 0)) {
            throw new IllegalArgumentException("plan inputs out of range");
        }
        lanesPerBatch = Math.max(1, lanesPerBatch);
    }

    /** {@code b / L}: records/s one lane moves with the measured batch at the p99 latency. */
    public double batchLaneCapacity() {
        return recordsPerBatch / lanesPerBatch / p99Seconds;
    }

    /** μlane: records/s one lane moves (one batch in flight), at least what the busiest lane moves now. */
    public double laneCapacity() {
        return Math.max(batchLaneCapacity(), observedLaneRate);
    }

    /** μp: records/s one partition moves. */
    public double partitionCapacity() {
        return lanesPerPartition * laneCapacity();
    }

    /** The hottest key's rate at the target, s·R. */
    public double hotKeyRate() {
        return hotShare * targetRate;
    }

    /** False when the hottest key alone exceeds one lane's planned capacity: no partition count helps. */
    public boolean hotKeyFits() {
        return hotKeyRate() <= headroom * laneCapacity() && hotKeyRate() < headroom * partitionCapacity();
    }

    /** The fewest partitions for the target (−1 when {@link #hotKeyFits()} is false). */
    public int partitions() {
        if (!hotKeyFits()) {
            return -1;
        }
        double p = (1 - hotShare) * targetRate / (headroom * partitionCapacity() - hotKeyRate());
        return Math.max(1, (int) Math.ceil(p - 1e-9));
    }

    /** Consumers for the target, never more than {@code partitions} (a consumer without a partition idles). */
    public int consumers(int partitions) {
        int c = (int) Math.ceil(targetRate / (headroom * consumerCapacity) - 1e-9);
        return Math.max(1, Math.min(partitions, c));
    }

    /** Concurrent invocations at the target (Little's law). */
    public int concurrency() {
        return (int) Math.ceil(targetRate / recordsPerBatch * p99Seconds - 1e-9);
    }

    /** The smallest {@code current · 2^k} ≥ {@code needed} (the playbook doubles). */
    public static int doubling(int current, int needed) {
        long p = Math.max(1, current);
        while (p < needed) {
            p *= 2;
        }
        return (int) Math.min(Integer.MAX_VALUE, p);
    }
}
