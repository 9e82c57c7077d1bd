package io.sluice.bench;

import io.sluice.dispatch.KafkaEventPayload;
import io.sluice.lambda.DispatchResponse;
import io.sluice.lambda.Dispatcher;
import io.sluice.lambda.dedupe.DedupeStore;
import io.sluice.lambda.route.RouteTable;
import io.sluice.lambda.target.RoutedRecordsJson;
import io.sluice.lambda.target.Target;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * The dispatcher function's work on one invocation of {@value Fixtures#RECORDS} records as Sluice sends them
 * (parse the event, decode, validate, transform, dedupe, route, write the target's JSON body), time per record.
 * The target writes its body and hands it to a blackhole instead of sending it: the HTTP call is not measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DispatcherBench {
    private byte[] event;
    private Dispatcher dispatcher;

    @Setup
    public void setUp(Blackhole bh) {
        event = new KafkaEventPayload("b-1.example:9094,b-2.example:9094", null)
                .build(Fixtures.records(Fixtures.RECORDS));
        RouteTable routes =
                RouteTable.singleHttpTarget("sink", URI.create("http://127.0.0.1:1/sink"), Duration.ofSeconds(5));
        Target body = new Target() {
            @Override
            public String name() {
                return "sink";
            }

            @Override
            public CompletableFuture<Void> deliver(List<io.sluice.lambda.record.RoutedRecord> records) {
                bh.consume(RoutedRecordsJson.toJsonArray(records));
                return CompletableFuture.completedFuture(null);
            }
        };
        // no dedupe store, as in the load runner's steady scenario (the same event every time would be skipped)
        dispatcher = new Dispatcher(routes, Map.of("sink", body), DedupeStore.none());
    }

    @Benchmark
    @OperationsPerInvocation(Fixtures.RECORDS)
    public DispatchResponse dispatch() {
        return dispatcher.dispatch(event);
    }
}
