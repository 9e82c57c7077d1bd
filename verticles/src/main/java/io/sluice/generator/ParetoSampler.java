package io.sluice.generator;

import java.util.random.RandomGenerator;

/**
 * Samples item indices {@code [0, items)} with a Pareto ("80/20") skew: the first
 * {@code hotKeyShare × items} indices receive {@code hotTrafficShare} of the samples.
 *
 * <p>It is the self-similar distribution of Gray et al. ("Quickly generating billion-record synthetic
 * databases", SIGMOD 1994): {@code index = ⌊items · u^a⌋} with {@code u} uniform in {@code [0,1)} and
 * {@code a = ln(hotKeyShare) / ln(hotTrafficShare)}. Since {@code P(u^a < h) = P(u < h^{1/a}) = t},
 * exactly a share {@code t} of the samples falls in the first share {@code h} of the items, and the
 * rule repeats inside the hot set (with 0.2/0.8, the hottest 4% get 64%), as real hot keys do.
 * {@code hotTrafficShare == hotKeyShare} gives a uniform distribution.
 *
 * <p>Lower indices are hotter. Immutable and thread-safe (the caller supplies the random source).
 */
public final class ParetoSampler {

    private final int items;
    private final double hotKeyShare;
    private final double hotTrafficShare;
    private final double exponent;

    /**
     * @param items           number of items, ≥ 1
     * @param hotKeyShare     share of the items that is hot, in (0, 1), e.g. 0.2
     * @param hotTrafficShare share of the samples the hot items receive, in [hotKeyShare, 1), e.g. 0.8
     * @throws IllegalArgumentException when a value is out of range
     */
    public ParetoSampler(int items, double hotKeyShare, double hotTrafficShare) {
        if (items < 1) {
            throw new IllegalArgumentException("items must be >= 1, got " + items);
        }
        if (!(hotKeyShare > 0 && hotKeyShare < 1)) {
            throw new IllegalArgumentException("hotKeyShare must be in (0, 1), got " + hotKeyShare);
        }
        if (!(hotTrafficShare >= hotKeyShare && hotTrafficShare < 1)) {
            throw new IllegalArgumentException(
                    "hotTrafficShare must be in [hotKeyShare, 1) = [" + hotKeyShare + ", 1), got " + hotTrafficShare);
        }
        this.items = items;
        this.hotKeyShare = hotKeyShare;
        this.hotTrafficShare = hotTrafficShare;
        this.exponent = Math.log(hotKeyShare) / Math.log(hotTrafficShare);
    }

    /**
     * The next index.
     *
     * @param rnd the random source (confined to the caller's thread)
     * @return an index in {@code [0, items)}; lower indices are more frequent
     */
    public int next(RandomGenerator rnd) {
        int index = (int) (items * Math.pow(rnd.nextDouble(), exponent));
        return Math.min(index, items - 1);
    }

    /** Number of items. */
    public int items() {
        return items;
    }

    /** Share of the items that is hot. */
    public double hotKeyShare() {
        return hotKeyShare;
    }

    /** Share of the samples the hot items receive. */
    public double hotTrafficShare() {
        return hotTrafficShare;
    }

    /** Number of hot items: the indices {@code [0, hotItems())} receive {@code hotTrafficShare} of the samples. */
    public int hotItems() {
        return (int) Math.max(1, Math.round(items * hotKeyShare));
    }

    @Override
    public String toString() {
        return "ParetoSampler{items=" + items + ", hotKeyShare=" + hotKeyShare + ", hotTrafficShare=" + hotTrafficShare
                + "}";
    }
}
