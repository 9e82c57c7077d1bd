package io.sluice.scaling;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * {@code recommendedConsumers} of one pipeline: how many consumers the group needs, from this instance's lag trend
 * and throughput. Pure logic, fed one sample per admin tick (docs/operations-partitions.md, "Scaling signal").
 *
 * <p>Over the window: {@code d} = records this consumer delivered per second, {@code g} = growth of its lag per
 * second, {@code L} = its lag now. Its partitions receive {@code d + g} records/s; spread evenly, the group's
 * {@code P} partitions receive {@code λ = (d + g) · P / a} ({@code a} = partitions assigned here) and hold a
 * backlog of {@code L · P / a}. One consumer's capacity {@code κ} is the highest {@code d} seen over a window in
 * which this consumer had a backlog the whole time (it was saturated). Then
 * <pre>  recommended = clamp(⌈(λ + backlog / drainSeconds) / (utilisation · κ)⌉, 1, P)</pre>
 * Until a saturated window has been seen κ is unknown: the current member count is kept while the lag does not
 * grow, and while it grows {@code d} stands in for κ (the consumer is saturated by definition). Never above the
 * partitions: a consumer with no partition idles.
 */
public final class ScalingSignal {
    /** The backlog, in seconds, the recommendation plans to drain within. */
    public static final double DRAIN_SECONDS = 300;
    /** The utilisation one consumer is planned at. */
    public static final double UTILISATION = 0.8;
    /** Lag under this many records counts as no backlog (batches in flight, the commit interval). */
    public static final long BACKLOG_FLOOR = 1_000;

    private record Sample(long atMs, long lag, double delivered) {}

    private final long windowMs;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private double capacity;

    /** @param windowMs the span the rates and the trend are measured over */
    public ScalingSignal(long windowMs) {
        this.windowMs = windowMs;
    }

    /** One sample: this consumer's total lag (records) and its delivered counter (monotonic). */
    public void observe(long nowMs, long lagRecords, double deliveredTotal) {
        samples.addLast(new Sample(nowMs, lagRecords, deliveredTotal));
        while (samples.size() > 2 && samples.peekFirst().atMs() < nowMs - windowMs) {
            samples.removeFirst();
        }
        if (samples.size() >= 2
                && spanMs() >= windowMs / 2
                && samples.stream().allMatch(s -> s.lag() > BACKLOG_FLOOR)) {
            capacity = Math.max(capacity, delivered());
        }
    }

    private long spanMs() {
        return samples.peekLast().atMs() - samples.peekFirst().atMs();
    }

    private double delivered() {
        long span = spanMs();
        return span <= 0
                ? 0
                : Math.max(
                                0,
                                samples.peekLast().delivered()
                                        - samples.peekFirst().delivered())
                        * 1000.0
                        / span;
    }

    private double growth() {
        long span = spanMs();
        return span <= 0 ? 0 : (samples.peekLast().lag() - samples.peekFirst().lag()) * 1000.0 / span;
    }

    /** The recommendation and what it was computed from. */
    public record Recommendation(
            int consumers,
            int members,
            int partitions,
            double deliveredPerSecond,
            double lagGrowthPerSecond,
            long lag,
            double capacityPerConsumer,
            String basis) {}

    /**
     * @param members    the group's members now (≥ 1 counts this one)
     * @param partitions the partitions of the pipeline's topics
     * @param assigned   those assigned to this consumer
     */
    public Recommendation recommend(int members, int partitions, int assigned) {
        int c = Math.max(1, members);
        int p = Math.max(1, partitions);
        if (samples.size() < 2 || spanMs() <= 0 || assigned <= 0) {
            return new Recommendation(
                    Math.min(c, p),
                    c,
                    p,
                    0,
                    0,
                    samples.isEmpty() ? 0 : samples.peekLast().lag(),
                    capacity,
                    assigned <= 0
                            ? "no partition assigned here: keeping the members"
                            : "not enough samples yet: keeping the members");
        }
        double d = delivered();
        double g = growth();
        long lag = samples.peekLast().lag();
        double share = (double) p / assigned;
        double need = Math.max(0, d + g) * share + lag * share / DRAIN_SECONDS;
        double kappa = capacity;
        String basis = "capacity measured while saturated";
        if (kappa <= 0) {
            if (g <= 0 || lag <= BACKLOG_FLOOR) {
                return new Recommendation(
                        Math.min(c, p),
                        c,
                        p,
                        d,
                        g,
                        lag,
                        0,
                        "keeping up (lag not growing), capacity not measured yet: keeping the members");
            }
            kappa = d;
            basis = "lag growing: the current throughput stands in for the capacity";
            if (kappa <= 0) {
                return new Recommendation(p, c, p, d, g, lag, 0, "lag growing and nothing delivered: all partitions");
            }
        }
        int rec = (int) Math.ceil(need / (UTILISATION * kappa) - 1e-9);
        return new Recommendation(Math.max(1, Math.min(p, rec)), c, p, d, g, lag, kappa, basis);
    }
}
