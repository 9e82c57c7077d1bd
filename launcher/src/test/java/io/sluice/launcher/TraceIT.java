package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.sluice.lambda.Dispatcher;
import io.sluice.lambda.DispatcherHandler;
import io.sluice.lambda.dedupe.DedupeStore;
import io.sluice.lambda.route.RouteTable;
import io.sluice.lambda.target.HttpTarget;
import io.sluice.lambda.target.Target;
import io.sluice.lambda.trace.FunctionTracing;
import io.sluice.lambda.trace.TraceSettings;
import io.sluice.launcher.OtlpReceiver.Received;
import io.sluice.locallambda.DispatcherFunction;
import io.sluice.locallambda.LambdaFunction;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * One continuous trace from an HTTP ingest request to the function's call of its HTTP target, all real: the
 * embedded Apache Kafka broker, Sluice with {@code tracing.enabled}, the AWS SDK Lambda client over HTTP to the local
 * Invoke endpoint hosting the dispatcher function (traced, with its own SDK), which posts to a target HTTP server
 * here. Spans arrive at an in-process OTLP/HTTP receiver that decodes the protocol's protobuf messages. The first
 * event's first invocation fails (function error) and is retried; the second event's record is reported failed by
 * the function on every attempt and ends in the DLQ. The trees are printed and written to
 * {@code target/trace-trees.txt} (docs/tracing.md shows one).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TraceIT {
    private static final int MAX_ATTEMPTS = 3;
    private static final List<String> SHOWN = List.of(
            "sluice.correlation_id",
            "http.response.status_code",
            "messaging.destination.name",
            "sluice.attempt",
            "sluice.outcome",
            "faas.error",
            "sluice.lambda.throttled",
            "sluice.retry.delay_ms",
            "sluice.error_class",
            "sluice.target");
    private static OtlpReceiver receiver;
    private static HttpServer target;
    private static final List<String> targetTraceparents = new CopyOnWriteArrayList<>();
    private static final List<String> targetBodies = new CopyOnWriteArrayList<>();
    private static final Map<String, Integer> invocationsByTruck = new ConcurrentHashMap<>();
    private static final AtomicBoolean failedOnce = new AtomicBoolean();
    private static Vertx vertx;
    private static Sluice sluice;
    private static HttpClient http;
    private static final StringBuilder trees = new StringBuilder();

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.setExecutor(Executors.newFixedThreadPool(2));
        target.createContext("/target", ex -> {
            try (ex) {
                targetBodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                targetTraceparents.add(String.valueOf(ex.getRequestHeaders().getFirst("traceparent")));
                ex.sendResponseHeaders(200, -1);
            }
        });
        target.start();

        JsonObject conf = TestConfigs.local();
        conf.getJsonObject("generator").put("enabled", false);
        conf.put(
                "tracing",
                new JsonObject()
                        .put("enabled", true)
                        .put("endpoint", receiver.endpoint())
                        .put("serviceName", "sluice"));
        JsonObject p = conf.getJsonArray("pipelines").getJsonObject(0);
        p.getJsonObject("retry")
                .put("maxAttempts", MAX_ATTEMPTS)
                .put("baseDelayMs", 50)
                .put("maxDelayMs", 200);
        p.getJsonObject("batch").put("maxWaitMs", 20);
        vertx = Vertx.vertx();
        sluice = new Sluice(vertx, SluiceConfig.fromJson(conf), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        sluice.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);

        // the dispatcher function, traced with its own SDK (as in Lambda), calling the target server
        URI targetUrl = URI.create("http://127.0.0.1:" + target.getAddress().getPort() + "/target");
        RouteTable routes = RouteTable.singleHttpTarget("target", targetUrl, Duration.ofSeconds(5));
        Properties otel = new Properties();
        otel.setProperty("otel.exporter.otlp.traces.endpoint", receiver.endpoint());
        FunctionTracing fnTracing = FunctionTracing.start(TraceSettings.from(Map.of(), otel));
        HttpClient fnHttp =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Dispatcher dispatcher = new Dispatcher(
                routes,
                Map.<String, Target>of("target", new HttpTarget(routes.targets().get("target"), fnHttp)),
                DedupeStore.none(),
                false,
                60_000L,
                fnTracing);
        DispatcherFunction fn = new DispatcherFunction(new DispatcherHandler(dispatcher, 500L));
        String name = sluice.config().pipelines().get(0).lambda().functionName();
        sluice.localLambda().unregister(name);
        sluice.localLambda().register(name, faulty(fn), 10, Duration.ofSeconds(30));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * The function with two faults keyed by the events' truck ids: the first invocation carrying {@code RETRY-1}
     * throws (an Unhandled function error, retried by Sluice); every invocation carrying {@code DLQ-1} reports all
     * its records failed (batchItemFailures), so after the attempts they go to the DLQ.
     */
    private static LambdaFunction faulty(DispatcherFunction fn) {
        return (payload, headers) -> {
            String trucks = trucks(payload);
            invocationsByTruck.merge(trucks, 1, Integer::sum);
            if (trucks.contains("RETRY-1") && failedOnce.compareAndSet(false, true)) {
                throw new IllegalStateException("injected: first invocation of RETRY-1 fails");
            }
            Map<String, String> h = new HashMap<>(headers);
            if (trucks.contains("DLQ-1")) {
                h.put(LambdaFunction.PARTIAL_FAILURE_RATE, "1");
            }
            return fn.invoke(payload, h);
        };
    }

    /** The events' values (base64 in the Kafka event) decoded and joined: enough to find a truck id. */
    private static String trucks(byte[] payload) throws Exception {
        StringBuilder out = new StringBuilder();
        var records = Dispatcher.MAPPER.readTree(payload).get("records");
        for (var list : records) {
            for (var r : list) {
                out.append(new String(Base64.getDecoder().decode(r.get("value").asText()), StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sluice != null) {
            sluice.stopBlocking(Duration.ofSeconds(60));
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (target != null) {
            target.stop(0);
        }
        if (receiver != null) {
            receiver.close();
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "trace-trees.txt"), trees.toString());
    }

    private static HttpResponse<String> ingest(String traceparent, String eventId, String truck) throws Exception {
        String body = new JsonObject()
                .put("eventId", eventId)
                .put("code", 301)
                .put("truckId", truck)
                .put("timestamp", System.currentTimeMillis())
                .put("speedKmh", 80)
                .encode();
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.ingestPort() + "/v1/events"))
                        .header("Content-Type", "application/json")
                        .header("traceparent", traceparent)
                        .header("X-Correlation-Id", "corr-" + eventId)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Received one(List<Received> trace, String name) {
        List<Received> found = all(trace, name);
        assertThat(found)
                .as("spans named '" + name + "' in\n" + OtlpReceiver.tree(trace, SHOWN))
                .hasSize(1);
        return found.get(0);
    }

    private static List<Received> all(List<Received> trace, String name) {
        List<Received> out = new ArrayList<>();
        for (Received s : trace) {
            if (s.name().equals(name)) {
                out.add(s);
            }
        }
        out.sort(java.util.Comparator.comparingLong(Received::startNanos));
        return out;
    }

    @Test
    @Order(1)
    void oneTraceFromTheIngestRequestThroughARetriedInvocationToTheTargetCall() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String clientSpan = "00f067aa0ba902b7";
        HttpResponse<String> r = ingest("00-" + traceId + "-" + clientSpan + "-01", "trace-ok-1", "RETRY-1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> targetBodies.stream().anyMatch(b -> b.contains("trace-ok-1")));
        // spans are exported in batches: wait for the function's and the consumer's to arrive
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        receiver.trace(traceId).stream().anyMatch(s -> s.name().equals("dispatch target"))
                                && receiver.trace(traceId).stream()
                                                .filter(s -> s.name().equals("lambda invoke"))
                                                .count()
                                        == 2
                                && receiver.trace(traceId).stream()
                                        .anyMatch(s -> s.name().equals("batch")));
        List<Received> trace = receiver.trace(traceId);
        String tree = OtlpReceiver.tree(trace, SHOWN);
        System.out.println(tree);
        trees.append(tree).append('\n');

        Received ingest = one(trace, "ingest");
        assertThat(ingest.parentSpanId()).isEqualTo(clientSpan);
        assertThat(ingest.kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
        assertThat(ingest.attr("sluice.correlation_id")).isEqualTo("corr-trace-ok-1");
        assertThat(ingest.attr("http.response.status_code")).isEqualTo("202");
        Received produce = one(trace, "produce");
        assertThat(produce.parentSpanId()).isEqualTo(ingest.spanId());
        assertThat(produce.kind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
        assertThat(produce.attr("messaging.destination.name")).isEqualTo("mt-c300");
        Received poll = one(trace, "poll");
        assertThat(poll.parentSpanId()).isEqualTo(produce.spanId());
        assertThat(poll.linkedSpanIds()).contains(produce.spanId());
        Received batch = one(trace, "batch");
        assertThat(batch.parentSpanId()).isEqualTo(produce.spanId());
        assertThat(batch.linkedSpanIds()).contains(produce.spanId());
        assertThat(one(trace, "batch wait").parentSpanId()).isEqualTo(batch.spanId());
        List<Received> invokes = all(trace, "lambda invoke");
        assertThat(invokes).allSatisfy(i -> {
            assertThat(i.parentSpanId()).isEqualTo(batch.spanId());
            assertThat(i.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
            assertThat(i.linkedSpanIds()).contains(produce.spanId());
        });
        assertThat(invokes.get(0).attr("faas.error")).isEqualTo("Unhandled");
        assertThat(invokes.get(0).attr("sluice.outcome")).isEqualTo("function-error");
        assertThat(invokes.get(0).status())
                .isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(invokes.get(1).attr("faas.error")).isNull();
        assertThat(invokes.get(1).attr("sluice.attempt")).isEqualTo("2");
        Received retry = one(trace, "retry");
        assertThat(retry.parentSpanId()).isEqualTo(batch.spanId());
        assertThat(retry.attr("sluice.error_class")).isEqualTo("function-error");
        assertThat(retry.startNanos()).isGreaterThanOrEqualTo(invokes.get(0).startNanos());
        assertThat(retry.endNanos()).isLessThanOrEqualTo(invokes.get(1).startNanos());
        assertThat(all(trace, "dlq write")).isEmpty();

        // the function continued the record's trace from its traceparent header and passed its span to the target
        Received dispatch = one(trace, "dispatch target");
        assertThat(dispatch.service()).isEqualTo("sluice-dispatcher");
        assertThat(ingest.service()).isEqualTo("sluice");
        assertThat(dispatch.parentSpanId()).isEqualTo(produce.spanId());
        assertThat(dispatch.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
        int call = indexOf(targetBodies, "trace-ok-1");
        assertThat(targetTraceparents.get(call)).isEqualTo("00-" + traceId + "-" + dispatch.spanId() + "-01");
        assertThat(receiver.refused()).isEmpty();
    }

    @Test
    @Order(2)
    void aRecordTheFunctionKeepsFailingEndsInTheDlqInsideItsTrace() throws Exception {
        String traceId = "5bf92f3577b34da6a3ce929d0e0e4737";
        HttpResponse<String> r = ingest("00-" + traceId + "-10f067aa0ba902b8-01", "trace-dlq-1", "DLQ-1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        receiver.trace(traceId).stream().anyMatch(s -> s.name().equals("dlq write"))
                                && receiver.trace(traceId).stream()
                                        .anyMatch(s -> s.name().equals("batch")));
        List<Received> trace = receiver.trace(traceId);
        String tree = OtlpReceiver.tree(trace, SHOWN);
        System.out.println(tree);
        trees.append(tree).append('\n');

        Received produce = one(trace, "produce");
        Received batch = one(trace, "batch");
        assertThat(batch.parentSpanId()).isEqualTo(produce.spanId());
        List<Received> invokes = all(trace, "lambda invoke");
        assertThat(invokes).hasSize(MAX_ATTEMPTS);
        assertThat(invokes).allSatisfy(i -> assertThat(i.parentSpanId()).isEqualTo(batch.spanId()));
        assertThat(invokes.stream().map(i -> i.attr("sluice.attempt")).toList()).containsExactly("1", "2", "3");
        assertThat(all(trace, "retry"))
                .hasSize(MAX_ATTEMPTS - 1)
                .allSatisfy(x -> assertThat(x.attr("sluice.error_class")).isEqualTo("partial-failure"));
        Received dlq = one(trace, "dlq write");
        assertThat(dlq.parentSpanId()).isEqualTo(batch.spanId());
        assertThat(dlq.kind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
        assertThat(dlq.attr("sluice.error_class")).isEqualTo("partial-failure");
        assertThat(dlq.status()).isNotEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(all(trace, "dispatch target"))
                .as("forced failures never call the target")
                .isEmpty();
        assertThat(targetBodies).noneMatch(b -> b.contains("trace-dlq-1"));

        // the DLQ record is there, and its traceparent header still names the producer's span
        ConsumerRecord<byte[], byte[]> dead = dlqRecord("trace-dlq-1");
        Header tp = dead.headers().lastHeader("traceparent");
        assertThat(tp).isNotNull();
        assertThat(new String(tp.value(), StandardCharsets.UTF_8))
                .isEqualTo("00-" + traceId + "-" + produce.spanId() + "-01");
    }

    private static ConsumerRecord<byte[], byte[]> dlqRecord(String eventId) {
        Map<String, Object> props = new HashMap<>(sluice.config().kafka().clientConfig(Map.of(), Map.of()));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "trace-it-dlq");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        String dlqTopic = sluice.config().pipelines().get(0).dlqTopic();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(dlqTopic));
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(200))) {
                    if (new String(rec.value(), StandardCharsets.UTF_8).contains(eventId)) {
                        found.add(rec);
                    }
                }
                return !found.isEmpty();
            });
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    private static int indexOf(List<String> bodies, String eventId) {
        for (int i = 0; i < bodies.size(); i++) {
            if (bodies.get(i).contains(eventId)) {
                return i;
            }
        }
        throw new AssertionError(eventId + " not in the target's requests");
    }
}
