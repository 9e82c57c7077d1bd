package io.sluice.admin;

/**
 * Quantiles estimated from a histogram's cumulative bucket counts (what Prometheus' {@code histogram_quantile}
 * does), over the records between two snapshots of the same buckets: no per-record cost beyond the histogram
 * itself, which is why hot timers publish buckets rather than client-side percentiles. Within a bucket the
 * value is interpolated linearly; the error is at most the bucket's width (Micrometer's timer buckets grow by
 * about a third from one to the next). Pure.
 */
final class BucketQuantiles {
    private BucketQuantiles() {}

    /**
     * The {@code q} quantile of the records counted in {@code now} but not in {@code before}.
     *
     * @param upperBounds ascending bucket upper bounds
     * @param now         cumulative counts (records ≤ each bound) now
     * @param before      cumulative counts at the window's start, same length, or {@code null} for all records
     * @param total       records counted in total now (the timer's count; records above the last bound included)
     * @param totalBefore the timer's count at the window's start (0 with {@code before} null)
     * @return the estimate in the bounds' unit, or {@code null} when the window holds no record or the quantile
     *     lies above the last bound
     */
    static Double quantile(
            double[] upperBounds, double[] now, double[] before, double total, double totalBefore, double q) {
        double records = total - totalBefore;
        if (records <= 0) {
            return null;
        }
        double rank = q * records;
        double lowerBound = 0;
        double below = 0;
        for (int i = 0; i < upperBounds.length; i++) {
            double upTo = now[i] - (before == null ? 0 : before[i]);
            if (upTo >= rank) {
                double inBucket = upTo - below;
                double share = inBucket <= 0 ? 1 : (rank - below) / inBucket;
                return lowerBound + share * (upperBounds[i] - lowerBound);
            }
            lowerBound = upperBounds[i];
            below = upTo;
        }
        return null;
    }
}
