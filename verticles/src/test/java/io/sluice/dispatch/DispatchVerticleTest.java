package io.sluice.dispatch;

import static io.sluice.dispatch.FakeLambda.Answer;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.bus.Addresses;
import io.sluice.config.Cfg;
import io.sluice.kafka.AsyncProducer;
import io.sluice.metrics.PipelineMetrics;
import io.sluice.pipeline.Pipeline;
import io.sluice.pipeline.PipelineSettings;
import io.sluice.record.Batch;
import io.sluice.record.BatchOutcome;
import io.sluice.record.InRecord;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.lambda.model.RequestTooLargeException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/**
 * The dispatch verticle against a scripted Lambda client, a DLQ writer over a {@link MockProducer} and real
 * metrics: every batch is answered with an outcome that accounts for each record exactly once (delivered, or
 * in the DLQ with its headers), retries and splits behave as designed, and a batch whose processing throws
 * is still answered (a failure the batching verticle requeues) instead of hanging.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DispatchVerticleTest {
    private static final String NAME = "p";
    private static final String TOPIC = "t";
    private static final String TP = "t-0";
    private static final String DLQ = "t-dlq";
    private static final AtomicLong BATCH_IDS = new AtomicLong();

    private Vertx vertx;
    private MockProducer<byte[], byte[]> mock;
    private AsyncProducer producer;
    private SimpleMeterRegistry registry;
    private FakeLambda lambda;
    private String deployment;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        Pipeline.registerCodecs(vertx);
        mock = new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());
        producer = new AsyncProducer(mock, "dlq-test");
        registry = new SimpleMeterRegistry();
    }

    @AfterEach
    void tearDown() {
        producer.close(Duration.ofSeconds(1));
        if (lambda != null) {
            lambda.close();
        }
    }

    private static PipelineSettings settings(int maxAttempts, boolean breaker) {
        return settings(maxAttempts, 5, 20, breaker);
    }

    private static PipelineSettings settings(int maxAttempts, long baseDelayMs, long maxDelayMs, boolean breaker) {
        JsonObject json = new JsonObject()
                .put("name", NAME)
                .put("topics", List.of(TOPIC))
                .put("groupId", "g")
                .put(
                        "retry",
                        new JsonObject()
                                .put("maxAttempts", maxAttempts)
                                .put("baseDelayMs", baseDelayMs)
                                .put("maxDelayMs", maxDelayMs))
                .put("lambda", new JsonObject().put("functionName", "fn"))
                .put(
                        "breaker",
                        new JsonObject()
                                .put("enabled", breaker)
                                .put("maxFailures", 2)
                                .put("resetTimeoutMs", 150))
                .put("dlqTopic", DLQ);
        return PipelineSettings.from(new Cfg(json, "pipeline"));
    }

    /** Deploys one dispatch verticle with {@code script} as the function; the breaker is off. */
    private PipelineSettings deploy(int maxAttempts, BiFunction<Integer, List<Long>, Answer> script) throws Exception {
        return deploy(settings(maxAttempts, false), script);
    }

    private PipelineSettings deploy(PipelineSettings s, BiFunction<Integer, List<Long>, Answer> script)
            throws Exception {
        return deploy(s, script, null);
    }

    /** A breaker as the pipeline makes it from {@code s} (no timeout of its own, no event-bus notifications). */
    private CircuitBreaker breaker(PipelineSettings s) {
        return CircuitBreaker.create(
                "test",
                vertx,
                new CircuitBreakerOptions()
                        .setMaxFailures(s.breaker().maxFailures())
                        .setResetTimeout(s.breaker().resetTimeoutMs())
                        .setTimeout(-1)
                        .setNotificationAddress(null));
    }

    private PipelineSettings deploy(
            PipelineSettings s, BiFunction<Integer, List<Long>, Answer> script, CircuitBreaker breaker)
            throws Exception {
        lambda = new FakeLambda(script);
        DeadLetterWriter dlq = new DeadLetterWriter(
                vertx,
                producer,
                DLQ,
                new Backoff(s.retry().baseDelayMs(), s.retry().maxDelayMs(), new java.util.Random(1)));
        DispatchVerticle v = new DispatchVerticle(
                s.dispatch(),
                lambda,
                dlq,
                new KafkaEventPayload("localhost:9092", null),
                new PipelineMetrics(registry, NAME),
                breaker);
        deployment = vertx.deployVerticle(v)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        return s;
    }

    private static InRecord record(long offset, String value) {
        return new InRecord(
                TOPIC,
                0,
                offset,
                1_000 + offset,
                "CreateTime",
                ("k" + offset).getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8),
                List.of(new InRecord.Header("trace", ("tr" + offset).getBytes(StandardCharsets.UTF_8))),
                1,
                0);
    }

    private static Batch batch(long first, int n) {
        List<InRecord> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rs.add(record(first + i, "{\"n\":" + (first + i) + "}"));
        }
        return batch(rs);
    }

    private static Batch batch(List<InRecord> rs) {
        int bytes = rs.stream().mapToInt(InRecord::payloadBytes).sum();
        return Batch.single(BATCH_IDS.incrementAndGet(), TOPIC, 0, 0, rs, bytes, "count");
    }

    private Future<Message<BatchOutcome>> send(Batch b) {
        return vertx.eventBus().request(Addresses.dispatch(NAME), b, new DeliveryOptions().setSendTimeout(60_000));
    }

    private BatchOutcome dispatch(Batch b) throws Exception {
        return send(b).toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .body();
    }

    /** The DLQ records MockProducer acknowledged, by source offset. */
    private Map<Long, ProducerRecord<byte[], byte[]>> dlqByOffset() {
        Map<Long, ProducerRecord<byte[], byte[]>> out = new HashMap<>();
        for (ProducerRecord<byte[], byte[]> r : mock.history()) {
            long off = Long.parseLong(header(r, DeadLetterWriter.H_SOURCE_OFFSET));
            assertThat(out.put(off, r)).as("offset %d dead-lettered once", off).isNull();
        }
        return out;
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** delivered + dead-lettered == size, and every offset is either accepted by the function or in the DLQ, once. */
    private void assertAccounted(Batch b, BatchOutcome o) {
        List<Long> offsets = b.records().stream().map(InRecord::offset).toList();
        List<Long> accepted = List.copyOf(lambda.accepted);
        Map<Long, ProducerRecord<byte[], byte[]>> dead = dlqByOffset();
        assertThat(o.batch()).isSameAs(b);
        assertThat(o.delivered() + o.deadLettered()).isEqualTo(b.records().size());
        assertThat(o.delivered()).isEqualTo(accepted.size());
        assertThat(o.deadLettered()).isEqualTo(dead.size());
        assertThat(accepted).doesNotHaveDuplicates().noneMatch(dead::containsKey);
        List<Long> all = new ArrayList<>(accepted);
        all.addAll(dead.keySet());
        assertThat(all).containsExactlyInAnyOrderElementsOf(offsets);
        assertThat(o.invocations()).isEqualTo(lambda.calls.size());
    }

    /**
     * Every invocation (first attempts, retries after a timer, halves of a split) was handed to the SDK from a worker
     * thread of the verticle's context — the payload is built and signed off the event loop — while the run's own
     * steps stay on the event loop (the fake answers from its own thread; the outcome arrives on the context).
     */
    private void assertOnVerticleContext() {
        assertThat(lambda.calls).isNotEmpty().allSatisfy(c -> {
            assertThat(c.context()).isNotNull();
            assertThat(c.context().deploymentID()).isEqualTo(deployment);
            assertThat(c.onEventLoopThread())
                    .as("payload built and signed off the event loop")
                    .isFalse();
            assertThat(c.thread()).startsWith("vert.x-worker-thread");
        });
    }

    private double counter(String name, String tag, String value) {
        var c = registry.find(name).tag("pipeline", NAME);
        if (tag != null) {
            c = c.tag(tag, value);
        }
        return c.counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
    }

    @Test
    void success() throws Exception {
        deploy(3, (n, offs) -> FakeLambda.ok());
        Batch b = batch(100, 5);
        BatchOutcome o = dispatch(b);
        assertThat(o.delivered()).isEqualTo(5);
        assertThat(o.invocations()).isEqualTo(1);
        assertThat(lambda.calls.get(0).offsets()).containsExactly(100L, 101L, 102L, 103L, 104L);
        assertAccounted(b, o);
        assertOnVerticleContext();
        assertThat(counter("sluice.dispatch.records.delivered", null, null)).isEqualTo(5.0);
        assertThat(counter("sluice.dispatch.retries", null, null)).isZero();
    }

    @Test
    void functionErrorThenSuccessIsRetried() throws Exception {
        deploy(3, (n, offs) -> n == 1 ? FakeLambda.functionError() : FakeLambda.ok());
        Batch b = batch(0, 4);
        BatchOutcome o = dispatch(b);
        assertThat(o.delivered()).isEqualTo(4);
        assertThat(o.invocations()).isEqualTo(2);
        assertThat(lambda.calls.get(1).offsets()).containsExactly(0L, 1L, 2L, 3L);
        assertAccounted(b, o);
        assertOnVerticleContext();
        assertThat(counter("sluice.dispatch.retries", null, null)).isEqualTo(1.0);
        assertThat(counter("sluice.dispatch.invocations", "outcome", "function-error"))
                .isEqualTo(1.0);
        assertThat(counter("sluice.dispatch.invocations", "outcome", "success")).isEqualTo(1.0);
    }

    @Test
    void throttlingIsRetried() throws Exception {
        deploy(
                5,
                (n, offs) -> n <= 2
                        ? new FakeLambda.Fails(TooManyRequestsException.builder()
                                .statusCode(429)
                                .message("Rate exceeded")
                                .build())
                        : FakeLambda.ok());
        Batch b = batch(0, 3);
        BatchOutcome o = dispatch(b);
        assertThat(o.delivered()).isEqualTo(3);
        assertThat(o.invocations()).isEqualTo(3);
        assertAccounted(b, o);
        assertOnVerticleContext();
        assertThat(counter("sluice.dispatch.invocations", "outcome", "throttled"))
                .isEqualTo(2.0);
        assertThat(mock.history()).isEmpty();
    }

    @Test
    void aPartialFailureResendsTheLaneFromItsFirstFailedRecord() throws Exception {
        // issue #15: before, only the named records (11, 13) went again, so 12 and 14 counted as delivered ahead of
        // 11 and 13; a function that reports only a key's first failure and skips the rest would even lose them
        deploy(3, (n, offs) -> n == 1 ? FakeLambda.partial(TP, 11, 13) : FakeLambda.ok());
        Batch b = batch(10, 5);
        BatchOutcome o = dispatch(b);
        assertThat(lambda.calls).hasSize(2);
        assertThat(lambda.calls.get(0).offsets()).containsExactly(10L, 11L, 12L, 13L, 14L);
        assertThat(lambda.calls.get(1).offsets()).containsExactly(11L, 12L, 13L, 14L);
        assertThat(o.delivered()).isEqualTo(5);
        assertThat(o.deadLettered()).isZero();
        assertThat(o.slices()).containsExactly(0);
        assertThat(counter("sluice.dispatch.records.resent", "why", "order")).isEqualTo(2.0);
        assertThat(mock.history()).isEmpty();
        assertOnVerticleContext();
    }

    @Test
    void aFailingLaneHoldsOnlyItselfTheOtherLanesAreReportedFinalAtOnce() throws Exception {
        List<InRecord> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        vertx.eventBus()
                .<BatchOutcome>localConsumer(
                        Addresses.batchProgress(NAME),
                        m -> progress.addAll(m.body().records()));
        // partition 0 lane: 10..12, partition 3 lane: 10..11; t-3@10 fails once
        deploy(3, (n, offs) -> n == 1 ? FakeLambda.partial(TOPIC + "-3", 10) : FakeLambda.ok());
        List<InRecord> p0 = List.of(record(10, "{}"), record(11, "{}"), record(12, "{}"));
        List<InRecord> p3 = List.of(recordOf(3, 10), recordOf(3, 11));
        Batch b = Batch.of(
                BATCH_IDS.incrementAndGet(),
                List.of(new Batch.Slice(TOPIC, 0, 0, p0), new Batch.Slice(TOPIC, 3, 0, p3)),
                4096,
                "wait",
                0);
        BatchOutcome o = dispatch(b);
        assertThat(lambda.calls).hasSize(2);
        assertThat(lambda.calls.get(1).offsets())
                .as("only the failing lane goes again")
                .containsExactly(10L, 11L);
        assertThat(progress)
                .as("partition 0's lane reported final while partition 3's retried")
                .containsExactlyElementsOf(p0);
        assertThat(o.slices()).containsExactly(1);
        assertThat(o.records()).containsExactlyElementsOf(p3);
        assertThat(o.delivered()).isEqualTo(2);
        assertThat(registry.find("sluice.batch.partitions")
                        .tag("pipeline", NAME)
                        .summary()
                        .max())
                .as("partitions per invocation")
                .isEqualTo(2.0);
    }

    private static InRecord recordOf(int partition, long offset) {
        return new InRecord(
                TOPIC,
                partition,
                offset,
                1_000 + offset,
                "CREATE_TIME",
                ("k" + offset).getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8),
                List.of(),
                1,
                0);
    }

    @Test
    void exhaustedAttemptsDeadLetterEveryRecordWithHeaders() throws Exception {
        deploy(3, (n, offs) -> FakeLambda.functionError());
        Batch b = batch(20, 4);
        BatchOutcome o = dispatch(b);
        assertThat(lambda.calls).hasSize(3);
        assertThat(o.delivered()).isZero();
        assertThat(o.deadLettered()).isEqualTo(4);
        assertAccounted(b, o);
        assertOnVerticleContext();
        Map<Long, ProducerRecord<byte[], byte[]>> dead = dlqByOffset();
        assertThat(dead.keySet()).containsExactlyInAnyOrder(20L, 21L, 22L, 23L);
        for (InRecord r : b.records()) {
            ProducerRecord<byte[], byte[]> d = dead.get(r.offset());
            assertThat(d.topic()).isEqualTo(DLQ);
            assertThat(d.key()).isEqualTo(r.key());
            assertThat(d.value()).isEqualTo(r.value());
            assertThat(header(d, "trace")).isEqualTo("tr" + r.offset());
            assertThat(header(d, DeadLetterWriter.H_SOURCE_TOPIC)).isEqualTo(TOPIC);
            assertThat(header(d, DeadLetterWriter.H_SOURCE_PARTITION)).isEqualTo("0");
            assertThat(header(d, DeadLetterWriter.H_ERROR_CLASS)).isEqualTo("function-error");
            assertThat(header(d, DeadLetterWriter.H_ERROR_MESSAGE)).contains("Boom: handler failed");
            assertThat(header(d, DeadLetterWriter.H_ATTEMPTS)).isEqualTo("3");
            long first = Long.parseLong(header(d, DeadLetterWriter.H_FIRST_FAILURE));
            long last = Long.parseLong(header(d, DeadLetterWriter.H_LAST_FAILURE));
            assertThat(first).isPositive().isLessThanOrEqualTo(last);
        }
        assertThat(counter("sluice.dispatch.records.dlq", "reason", "function-error"))
                .isEqualTo(4.0);
    }

    @Test
    void outOfAttemptsOnlyEachLanesFirstFailureIsDeadLetteredTheRecordsBehindItGoAgain() throws Exception {
        // 31 always fails; 32 is sent again with it (lane order) and, once 31 is in the DLQ, delivered
        deploy(2, (n, offs) -> offs.contains(31L) ? FakeLambda.partial(TP, 31) : FakeLambda.ok());
        Batch b = batch(30, 3);
        BatchOutcome o = dispatch(b);
        assertThat(lambda.calls)
                .extracting(FakeLambda.Call::offsets)
                .containsExactly(List.of(30L, 31L, 32L), List.of(31L, 32L), List.of(32L));
        assertThat(o.delivered()).isEqualTo(2);
        assertThat(o.deadLettered()).isEqualTo(1);
        assertThat(dlqByOffset().keySet()).containsExactly(31L);
        assertThat(header(dlqByOffset().get(31L), DeadLetterWriter.H_ERROR_CLASS))
                .isEqualTo("partial-failure");
    }

    @Test
    void poisonRecordGoesToTheDlqAtOnce() throws Exception {
        deploy(3, (n, offs) -> FakeLambda.ok());
        List<InRecord> rs = new ArrayList<>(batch(40, 3).records());
        rs.set(1, record(41, "not json"));
        Batch b = batch(rs);
        BatchOutcome o = dispatch(b);
        assertThat(lambda.calls).hasSize(1);
        assertThat(lambda.calls.get(0).offsets()).containsExactly(40L, 42L);
        assertThat(o.delivered()).isEqualTo(2);
        assertThat(o.deadLettered()).isEqualTo(1);
        ProducerRecord<byte[], byte[]> d = dlqByOffset().get(41L);
        assertThat(header(d, DeadLetterWriter.H_ERROR_CLASS)).isEqualTo("poison");
        assertThat(header(d, DeadLetterWriter.H_ATTEMPTS)).isEqualTo("0");
        assertThat(new String(d.value(), StandardCharsets.UTF_8)).isEqualTo("not json");
        assertAccounted(b, o);
    }

    @Test
    void tooLargePayloadIsSplit() throws Exception {
        // the service rejects any request of more than 2 records
        deploy(
                3,
                (n, offs) -> offs.size() > 2
                        ? new FakeLambda.Fails(RequestTooLargeException.builder()
                                .statusCode(413)
                                .message("Request must be smaller")
                                .build())
                        : FakeLambda.ok());
        Batch b = batch(50, 5);
        BatchOutcome o = dispatch(b);
        assertThat(o.delivered()).isEqualTo(5);
        assertThat(mock.history()).isEmpty();
        List<List<Long>> sent =
                lambda.calls.stream().map(FakeLambda.Call::offsets).toList();
        // 5 -> 413, split 2 | 3; 2 -> ok; 3 -> 413, split 1 | 2 -> ok, ok
        assertThat(sent)
                .containsExactly(
                        List.of(50L, 51L, 52L, 53L, 54L),
                        List.of(50L, 51L),
                        List.of(52L, 53L, 54L),
                        List.of(52L),
                        List.of(53L, 54L));
        assertAccounted(b, o);
        assertOnVerticleContext();
    }

    @Test
    void singleRecordTooLargeGoesToTheDlq() throws Exception {
        deploy(
                3,
                (n, offs) -> new FakeLambda.Fails(RequestTooLargeException.builder()
                        .statusCode(413)
                        .message("too big")
                        .build()));
        Batch b = batch(60, 2);
        BatchOutcome o = dispatch(b);
        assertThat(o.deadLettered()).isEqualTo(2);
        assertThat(dlqByOffset().values())
                .allSatisfy(d ->
                        assertThat(header(d, DeadLetterWriter.H_ERROR_CLASS)).isEqualTo("too-large"));
        assertAccounted(b, o);
    }

    /** Defect 9: a retry whose invocation throws synchronously left the batch without an answer forever. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void retryThatThrowsStillAnswersTheBatch() throws Exception {
        deploy(
                3,
                (n, offs) -> n == 1
                        ? FakeLambda.functionError()
                        : new FakeLambda.Throws(new IllegalStateException("client broken")));
        Batch b = batch(70, 3);
        Throwable err = answerFailure(b);
        assertThat(err).isInstanceOf(ReplyException.class).hasMessageContaining("client broken");
        assertThat(((ReplyException) err).failureCode()).isEqualTo(500);
        assertThat(lambda.calls).hasSize(2);
        assertThat(mock.history()).as("a defect is not a reason to dead-letter").isEmpty();
    }

    /** Defect 9: the first invocation throwing escaped the bus handler and the batch was never answered. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void firstInvocationThatThrowsStillAnswersTheBatch() throws Exception {
        deploy(3, (n, offs) -> new FakeLambda.Throws(new IllegalStateException("client broken")));
        Batch b = batch(80, 2);
        Throwable err = answerFailure(b);
        assertThat(err).isInstanceOf(ReplyException.class).hasMessageContaining("client broken");
        assertThat(lambda.calls).hasSize(1);
        assertThat(mock.history()).isEmpty();
    }

    /**
     * Behind the breaker: two throttled invocations open it; while it is open nothing is sent and no attempt is
     * spent (waits on timers), the failed probe spends none either; the batch is delivered, not dead-lettered,
     * although the failures outnumber maxAttempts.
     */
    @Test
    void openBreakerWaitsWithoutSpendingAttempts() throws Exception {
        PipelineSettings s = settings(3, true); // opens after 2 failures, half-open after 150 ms
        CircuitBreaker cb = breaker(s);
        deploy(
                s,
                (n, offs) -> n <= 3
                        ? new FakeLambda.Fails(TooManyRequestsException.builder()
                                .statusCode(429)
                                .message("Rate exceeded")
                                .build())
                        : FakeLambda.ok(),
                cb);
        Batch b = batch(100, 3);
        BatchOutcome o = dispatch(b);
        assertThat(o.delivered()).isEqualTo(3);
        assertThat(lambda.calls).hasSize(4);
        assertThat(mock.history()).isEmpty();
        assertThat(cb.state()).isEqualTo(CircuitBreakerState.CLOSED);
        assertAccounted(b, o);
        assertOnVerticleContext();
    }

    /** Behind the breaker too, a client that throws ends the run with a failure instead of a retry or the DLQ. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void invocationThatThrowsBehindTheBreakerStillAnswersTheBatch() throws Exception {
        PipelineSettings s = settings(3, true);
        deploy(s, (n, offs) -> new FakeLambda.Throws(new IllegalStateException("client broken")), breaker(s));
        Throwable err = answerFailure(batch(110, 2));
        assertThat(err).isInstanceOf(ReplyException.class).hasMessageContaining("client broken");
        assertThat(lambda.calls).hasSize(1);
        assertThat(mock.history()).isEmpty();
    }

    /** Fails the test if the batch gets no answer within 5 s; returns the failure it was answered with. */
    private Throwable answerFailure(Batch b) throws Exception {
        var f = send(b).toCompletionStage().toCompletableFuture();
        try {
            Message<BatchOutcome> m = f.get(5, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + m.body());
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the batch got no answer within 5 s (promise left pending)", e);
        }
    }

    /**
     * Retry timers outlive an undeployment ({@code vertx.timer} is not cancelled with the verticle): a run must end
     * when its verticle stops, not go on invoking a closed client and dead-lettering after the stop.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void undeployWhileRetryingEndsTheRunWithoutFurtherInvocations() throws Exception {
        // 100 attempts 20-50 ms apart: the run is still retrying when the verticle stops
        deploy(settings(100, 20, 50, false), (n, offs) -> FakeLambda.functionError());
        Batch b = batch(90, 2);
        var reply = send(b).toCompletionStage().toCompletableFuture();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !lambda.calls.isEmpty());
        vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        int callsAtStop = lambda.calls.size();
        try {
            BatchOutcome o = reply.get(5, TimeUnit.SECONDS).body();
            throw new AssertionError("expected a failure after the stop, got " + o);
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ReplyException.class).hasMessageContaining("dispatch stopped");
        }
        assertThat(lambda.calls).hasSize(callsAtStop);
        assertThat(mock.history()).isEmpty();
    }

    @Test
    void batchesAreAnsweredOnePerRequestUnderConcurrency() throws Exception {
        deploy(3, (n, offs) -> n % 3 == 1 ? FakeLambda.functionError() : FakeLambda.ok());
        List<Batch> batches = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Message<BatchOutcome>>> replies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Batch b = batch(1_000 + i * 10L, 10);
            batches.add(b);
            replies.add(send(b).toCompletionStage().toCompletableFuture());
        }
        int delivered = 0;
        int dead = 0;
        for (int i = 0; i < batches.size(); i++) {
            BatchOutcome o = replies.get(i).get(10, TimeUnit.SECONDS).body();
            assertThat(o.batch()).isSameAs(batches.get(i));
            assertThat(o.delivered() + o.deadLettered()).isEqualTo(10);
            delivered += o.delivered();
            dead += o.deadLettered();
        }
        List<Long> accepted = List.copyOf(lambda.accepted);
        assertThat(delivered).isEqualTo(accepted.size());
        assertThat(dead).isEqualTo(mock.history().size());
        List<Long> all = new ArrayList<>(accepted);
        all.addAll(dlqByOffset().keySet());
        assertThat(all).doesNotHaveDuplicates().hasSize(100);
        assertThat(all.stream().collect(Collectors.toSet()))
                .isEqualTo(batches.stream()
                        .flatMap(b -> b.records().stream())
                        .map(InRecord::offset)
                        .collect(Collectors.toSet()));
        assertOnVerticleContext();
    }
}
