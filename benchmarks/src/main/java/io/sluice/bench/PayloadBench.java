package io.sluice.bench;

import io.sluice.dispatch.KafkaEventPayload;
import io.sluice.record.InRecord;
import java.util.ArrayList;
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

/**
 * The Lambda Kafka event for one invocation of {@value Fixtures#RECORDS} records: the hand-written builder against
 * the Jackson-generator one it replaced (the baseline, kept here), time per record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PayloadBench {
    private List<InRecord> records;
    private final KafkaEventPayload payload = new KafkaEventPayload("b-1.example:9094,b-2.example:9094", null);
    private final JacksonPayloadBaseline baseline =
            new JacksonPayloadBaseline("b-1.example:9094,b-2.example:9094", null);

    @Setup
    public void setUp() {
        records = Fixtures.records(Fixtures.RECORDS);
    }

    @Benchmark
    @OperationsPerInvocation(Fixtures.RECORDS)
    public byte[] handWritten() {
        return payload.build(new ArrayList<>(records));
    }

    @Benchmark
    @OperationsPerInvocation(Fixtures.RECORDS)
    public byte[] jacksonGeneratorBaseline() {
        return baseline.build(new ArrayList<>(records));
    }
}
