package io.sluice.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.sluice.batch.BatchSettings;
import io.sluice.batch.Lanes;
import io.sluice.dispatch.PoisonCheck;
import io.sluice.json.AsciiJsonScanner;
import io.sluice.record.Batch;
import io.sluice.record.InRecord;
import io.sluice.record.Ordering;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The other pure per-record pieces of the consumer path, time per record: the poison check (the shared ASCII
 * scanner against Jackson's streaming parser, its baseline), batching (queue into lanes, take adaptive batches
 * across lanes, finish them) in both orderings.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBench {
    private static final JsonFactory JSON = new JsonFactory();
    private List<InRecord> records;
    private byte[][] values;

    @Setup
    public void setUp() {
        records = Fixtures.records(Fixtures.RECORDS);
        values = records.stream().map(InRecord::value).toArray(byte[][]::new);
    }

    @Benchmark
    @OperationsPerInvocation(Fixtures.RECORDS)
    public void poisonCheck(Blackhole bh) {
        for (byte[] v : values) {
            bh.consume(PoisonCheck.problem(v));
        }
    }

    @Benchmark
    @OperationsPerInvocation(Fixtures.RECORDS)
    public void scannerOnly(Blackhole bh) {
        for (byte[] v : values) {
            bh.consume(AsciiJsonScanner.isPlainObject(v));
        }
    }

    /** What the poison check cost before the scanner: one Jackson streaming pass per value. */
    @Benchmark
    @OperationsPerInvocation(Fixtures.RECORDS)
    public void jacksonStreamingBaseline(Blackhole bh) throws IOException {
        for (byte[] v : values) {
            try (JsonParser p = JSON.createParser(v)) {
                p.nextToken();
                p.skipChildren();
                bh.consume(p.nextToken());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(Fixtures.RECORDS)
    public int lanesPartitionOrdering() {
        return batching(Ordering.PARTITION);
    }

    @Benchmark
    @OperationsPerInvocation(Fixtures.RECORDS)
    public int lanesKeyOrdering() {
        return batching(Ordering.KEY);
    }

    private int batching(Ordering ordering) {
        Lanes lanes = new Lanes(BatchSettings.adaptive(20_000, BatchSettings.MAX_BYTES_LIMIT, 1), ordering, 16, 8);
        long now = 1_000;
        for (InRecord r : records) {
            lanes.add(r, now);
        }
        int n = 0;
        for (Batch b : lanes.ready(now + 10)) {
            n += b.records().size();
            lanes.done(b);
        }
        return n;
    }
}
