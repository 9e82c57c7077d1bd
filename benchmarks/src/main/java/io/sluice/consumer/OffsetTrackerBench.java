package io.sluice.consumer;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The consumer's offset bookkeeping, time per record, over one steady-state cycle on 12 partitions: each poll's
 * offsets are recorded ({@code fetched}), invocations complete them ({@code complete}) and the commit candidates
 * are read, as the consumer verticle does. In the benchmark's own package because the tracker is internal to the
 * consumer.
 *
 * <p>{@code inOrder}: every partition's records complete in fetch order, one completion per poll's worth.
 * {@code outOfOrder}: key ordering's lanes finish a partition's records out of order — each completion carries
 * every fourth record, starting from a different residue — so the tracker keeps holes until the last one lands.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OffsetTrackerBench {
    private static final int PARTITIONS = 12;
    private static final int PER_POLL = 160; // ~1,900 records a poll over 12 partitions
    private static final int POLLS = 4; // polls in flight before they complete
    private static final int RECORDS = PARTITIONS * PER_POLL * POLLS;
    private static final int STRIDE = 4;

    private final TopicPartition[] tps = new TopicPartition[PARTITIONS];
    private final long[] timestamps = new long[PER_POLL];
    private final int[] sizes = new int[PER_POLL];
    private OffsetTracker tracker;
    private long next;

    @Setup
    public void setUp() {
        tracker = new OffsetTracker();
        for (int p = 0; p < PARTITIONS; p++) {
            tps[p] = new TopicPartition("lt-steady", p);
            tracker.assign(tps[p], 1, 0);
        }
        Arrays.fill(timestamps, 1_700_000_000_000L);
        Arrays.fill(sizes, 230);
        next = 0;
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void inOrder(Blackhole bh) {
        long first = next;
        fetchAll();
        for (int poll = 0; poll < POLLS; poll++) {
            long from = first + (long) poll * PER_POLL;
            for (TopicPartition tp : tps) {
                bh.consume(tracker.complete(tp, 1, range(from, 0, 1, PER_POLL)));
            }
            bh.consume(tracker.commitCandidates());
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void outOfOrder(Blackhole bh) {
        long first = next;
        fetchAll();
        int span = PER_POLL * POLLS;
        for (int residue = STRIDE - 1; residue >= 0; residue--) {
            for (TopicPartition tp : tps) {
                bh.consume(tracker.complete(tp, 1, range(first, residue, STRIDE, span / STRIDE)));
            }
            bh.consume(tracker.commitCandidates());
        }
    }

    /** POLLS polls of PER_POLL consecutive offsets on every partition. */
    private void fetchAll() {
        for (int poll = 0; poll < POLLS; poll++) {
            long[] offsets = range(next, 0, 1, PER_POLL);
            for (TopicPartition tp : tps) {
                tracker.fetched(tp, 1, offsets, timestamps, sizes);
            }
            next += PER_POLL;
        }
    }

    private static long[] range(long base, int start, int step, int count) {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = base + start + (long) i * step;
        }
        return out;
    }
}
