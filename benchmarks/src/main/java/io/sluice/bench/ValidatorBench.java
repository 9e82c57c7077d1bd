package io.sluice.bench;

import io.sluice.producer.EventValidator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
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
 * The producer's event validator, time per event, on the load runner's ~230-byte telemetry events: {@code scan}
 * (the hot path for encoded events: one pass of the ASCII scanner, no event object) against {@code decodeBaseline}
 * ({@code validate(Buffer)}: Jackson decodes the whole object, the path {@code scan} replaced), and
 * {@code objectWithKnownSize} ({@code validate(JsonObject, int)}: an event-bus object whose encoding the caller
 * already has).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ValidatorBench {
    private static final int EVENTS = 500; // one sluice.produce.batch request
    private final EventValidator validator = new EventValidator(EventValidator.DEFAULT_MAX_EVENT_BYTES, true, true);
    private byte[][] raw;
    private Buffer[] buffers;
    private JsonObject[] objects;

    @Setup
    public void setUp() {
        raw = new byte[EVENTS][];
        buffers = new Buffer[EVENTS];
        objects = new JsonObject[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            raw[i] = Fixtures.value(i);
            buffers[i] = Buffer.buffer(raw[i]);
            objects[i] = new JsonObject(buffers[i]);
            if (!validator.scan(raw[i]).isValid()) {
                throw new IllegalStateException("fixture event " + i + " is not valid");
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void scan(Blackhole bh) {
        for (byte[] r : raw) {
            bh.consume(validator.scan(r));
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void decodeBaseline(Blackhole bh) {
        for (Buffer b : buffers) {
            bh.consume(validator.validate(b));
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void objectWithKnownSize(Blackhole bh) {
        for (int i = 0; i < EVENTS; i++) {
            bh.consume(validator.validate(objects[i], raw[i].length));
        }
    }
}
