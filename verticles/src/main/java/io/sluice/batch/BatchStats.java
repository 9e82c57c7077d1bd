package io.sluice.batch;

import io.sluice.record.Batch;
import java.util.List;

/**
 * What batching did over the last window, for status and the dashboard: batches sent per second, their mean
 * size (records, partitions, lanes), the mean and largest fill time (how long a batch's oldest record waited),
 * and why they went. Pure accumulation; {@link #snapshot} ends a window. Confined to one thread.
 */
public final class BatchStats {
    private long batches;
    private long records;
    private long partitions;
    private long lanes;
    private long waitedMs;
    private long maxWaitedMs;
    private long byWait;
    private long byCeiling;
    private long windowStart;

    /** What one window saw, plus the lanes with the largest backlog at its end. */
    public record Snapshot(
            String mode,
            double batchesPerSecond,
            double meanRecords,
            double meanPartitions,
            double meanLanes,
            double meanFillMs,
            long maxFillMs,
            double shareFull,
            int queuedRecords,
            int inFlightBatches,
            List<Lanes.Backlog> largestBacklogs) {
        /** Nothing measured yet. */
        public static Snapshot empty(String mode) {
            return new Snapshot(mode, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
        }
    }

    public BatchStats(long nowMs) {
        this.windowStart = nowMs;
    }

    /** A batch went to dispatch. */
    public void sent(Batch b) {
        batches++;
        records += b.records().size();
        partitions += b.partitionCount();
        lanes += b.slices().size();
        waitedMs += b.waitedMs();
        maxWaitedMs = Math.max(maxWaitedMs, b.waitedMs());
        if ("count".equals(b.closeReason()) || "bytes".equals(b.closeReason())) {
            byCeiling++;
        } else {
            byWait++;
        }
    }

    /** The window since the previous snapshot (a new one starts); {@code lanes} gives the backlog picture. */
    public Snapshot snapshot(long nowMs, Lanes l, int topLanes) {
        double seconds = Math.max(0.001, (nowMs - windowStart) / 1000.0);
        double n = Math.max(1, batches);
        Snapshot s = new Snapshot(
                l.settings().mode().configName(),
                batches / seconds,
                records / n,
                partitions / n,
                lanes / n,
                waitedMs / n,
                maxWaitedMs,
                batches == 0 ? 0 : byCeiling / (double) (byCeiling + byWait),
                l.queuedRecords(),
                l.inFlightBatches(),
                l.largestBacklogs(topLanes, nowMs));
        batches = records = partitions = lanes = waitedMs = maxWaitedMs = byWait = byCeiling = 0;
        windowStart = nowMs;
        return s;
    }
}
