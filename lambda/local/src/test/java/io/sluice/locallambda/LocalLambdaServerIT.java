package io.sluice.locallambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.sluice.lambda.RecordId;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.RequestTooLargeException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.ServiceException;
import software.amazon.awssdk.services.lambda.model.ThrottleReason;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/** The local endpoint through the real AWS SDK v2 LambdaAsyncClient (Netty), retries disabled. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalLambdaServerIT {

    private static LocalLambdaServer server;
    private static LambdaAsyncClient lambda;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** One server and one SDK client for the class (closing a Netty client costs ~2 s); state is reset per test. */
    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        server = LocalLambdaServer.start(
                        vertx, LocalLambdaOptions.defaults().withConcurrency(4).withTimeout(Duration.ofSeconds(10)))
                .toCompletionStage()
                .toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        lambda = LambdaAsyncClient.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterEach
    void resetState() {
        for (String name : server.functionNames()) {
            server.faults(name).reset();
            if (!name.equals("dispatcher")) {
                server.unregister(name);
            }
        }
        server.sink().reset();
        server.sinkFaults().reset();
    }

    @AfterAll
    static void stop() throws Exception {
        lambda.close();
        server.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private CompletableFuture<InvokeResponse> invoke(String function, byte[] payload) {
        return lambda.invoke(InvokeRequest.builder()
                .functionName(function)
                .payload(SdkBytes.fromByteArray(payload))
                .build());
    }

    private static Throwable failure(CompletableFuture<?> f) {
        Throwable t = catchThrowable(f::join);
        assertThat(t).isInstanceOf(CompletionException.class);
        return t.getCause();
    }

    @Test
    void successCarriesTheExecutedVersionAndThePayload() {
        server.register("echo", (p, h) -> p, 2, Duration.ofSeconds(5));

        InvokeResponse r =
                invoke("echo", "{\"hi\":1}".getBytes(StandardCharsets.UTF_8)).join();

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.executedVersion()).isEqualTo("$LATEST");
        assertThat(r.functionError()).isNull();
        assertThat(r.payload().asUtf8String()).isEqualTo("{\"hi\":1}");
    }

    @Test
    void unknownFunctionIsResourceNotFound() {
        Throwable t = failure(invoke("nope", new byte[0]));

        assertThat(t).isInstanceOf(ResourceNotFoundException.class);
        ResourceNotFoundException e = (ResourceNotFoundException) t;
        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope");
        assertThat(e.type()).isEqualTo("User");
        assertThat(e.requestId()).isNotBlank();
    }

    @Test
    void aFullArnAndAnUnknownQualifierResolveLikeLambda() {
        server.register("echo", (p, h) -> p, 2, Duration.ofSeconds(5));

        assertThat(invoke(InvokeApiArn.of("echo"), new byte[] {'1'})
                        .join()
                        .payload()
                        .asUtf8String())
                .isEqualTo("1");
        Throwable t = failure(lambda.invoke(InvokeRequest.builder()
                .functionName("echo")
                .qualifier("7")
                .payload(SdkBytes.fromUtf8String("1"))
                .build()));
        assertThat(t).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void payloadOverSixMegabytesIsRequestTooLarge() {
        server.register("echo", (p, h) -> new byte[] {'1'}, 2, Duration.ofSeconds(5));

        assertThat(invoke("echo", new byte[6_291_456]).join().statusCode())
                .as("exactly the limit is accepted")
                .isEqualTo(200);
        Throwable t = failure(invoke("echo", new byte[6_291_457]));

        assertThat(t).isInstanceOf(RequestTooLargeException.class);
        assertThat(((LambdaException) t).statusCode()).isEqualTo(413);
        assertThat(((RequestTooLargeException) t).type()).isEqualTo("User");
        assertThat(t.getMessage())
                .contains("Request must be smaller than 6291456 bytes for the InvokeFunction operation");
    }

    @Test
    void concurrencyAboveTheReservedLimitIsThrottled() {
        CountDownLatch release = new CountDownLatch(1);
        server.register(
                "slow",
                (p, h) -> {
                    release.await();
                    return "ok".getBytes(StandardCharsets.UTF_8);
                },
                2,
                Duration.ofSeconds(20));
        CompletableFuture<InvokeResponse> a = invoke("slow", new byte[0]);
        CompletableFuture<InvokeResponse> b = invoke("slow", new byte[0]);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.inFlight("slow") == 2);

        Throwable t = failure(invoke("slow", new byte[0]));

        assertThat(t).isInstanceOf(TooManyRequestsException.class);
        TooManyRequestsException e = (TooManyRequestsException) t;
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.reason()).isEqualTo(ThrottleReason.RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate Exceeded.");
        release.countDown();
        assertThat(a.join().payload().asUtf8String()).isEqualTo("ok");
        assertThat(b.join().payload().asUtf8String()).isEqualTo("ok");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlight("slow") == 0);
    }

    @Test
    void handlerExceptionIsAnUnhandledFunctionError() {
        server.register(
                "boom",
                (p, h) -> {
                    throw new IllegalStateException("kaput");
                },
                2,
                Duration.ofSeconds(5));

        InvokeResponse r = invoke("boom", new byte[0]).join();

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.functionError()).isEqualTo("Unhandled");
        JsonObject body = new JsonObject(r.payload().asUtf8String());
        assertThat(body.getString("errorType")).isEqualTo("java.lang.IllegalStateException");
        assertThat(body.getString("errorMessage")).isEqualTo("kaput");
        assertThat(body.getJsonArray("stackTrace")).isNotEmpty();
    }

    @Test
    void functionTimeoutIsUnhandledTaskTimedOutAndInterruptsTheHandler() {
        AtomicBoolean interrupted = new AtomicBoolean();
        server.register(
                "sleepy",
                (p, h) -> {
                    try {
                        Thread.sleep(30_000);
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                        throw e;
                    }
                    return new byte[0];
                },
                2,
                Duration.ofMillis(300));

        InvokeResponse r = invoke("sleepy", new byte[0]).join();

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.functionError()).isEqualTo("Unhandled");
        JsonObject body = new JsonObject(r.payload().asUtf8String());
        assertThat(body.getString("errorType")).isEqualTo("Sandbox.Timedout");
        assertThat(body.getString("errorMessage")).endsWith("Task timed out after 0.30 seconds");
        await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
    }

    @Test
    void injectedThrottleErrorsAndOutagesHaveLambdasShapes() {
        server.register("echo", (p, h) -> p, 2, Duration.ofSeconds(5));
        FaultInjection faults = server.faults("echo");

        faults.throttleRate(1.0);
        Throwable throttled = failure(invoke("echo", new byte[0]));
        assertThat(throttled).isInstanceOf(TooManyRequestsException.class);
        assertThat(((TooManyRequestsException) throttled).statusCode()).isEqualTo(429);

        faults.reset().errorRate(1.0);
        InvokeResponse r = invoke("echo", new byte[0]).join();
        assertThat(r.functionError()).isEqualTo("Unhandled");
        assertThat(new JsonObject(r.payload().asUtf8String()).getString("errorType"))
                .isEqualTo("io.sluice.locallambda.internal.InjectedFunctionError");

        faults.reset().outage(true);
        Throwable down = failure(invoke("echo", new byte[0]));
        assertThat(down).isInstanceOf(ServiceException.class);
        assertThat(((ServiceException) down).statusCode()).isEqualTo(500);

        faults.outageMode(FaultSettings.OutageMode.CLOSE_CONNECTION);
        assertThat(failure(invoke("echo", new byte[0]))).isInstanceOf(SdkClientException.class);

        faults.reset();
        assertThat(invoke("echo", new byte[] {'x'}).join().payload().asUtf8String())
                .isEqualTo("x");
    }

    @Test
    void dryRunAndEventInvocationTypes() {
        CountDownLatch ran = new CountDownLatch(1);
        server.register(
                "async",
                (p, h) -> {
                    ran.countDown();
                    return p;
                },
                2,
                Duration.ofSeconds(5));

        InvokeResponse dry = lambda.invoke(InvokeRequest.builder()
                        .functionName("async")
                        .invocationType(InvocationType.DRY_RUN)
                        .build())
                .join();
        InvokeResponse event = lambda.invoke(InvokeRequest.builder()
                        .functionName("async")
                        .invocationType(InvocationType.EVENT)
                        .payload(SdkBytes.fromUtf8String("{}"))
                        .build())
                .join();

        assertThat(dry.statusCode()).isEqualTo(204);
        assertThat(event.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.getCount() == 0);
    }

    @Test
    void addedLatencyRunsOffTheEventLoop() throws Exception {
        server.register("lagging", (p, h) -> p, 4, Duration.ofSeconds(10));
        server.faults("lagging").latencyMs(950);
        long start = System.nanoTime();

        List<CompletableFuture<InvokeResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(invoke("lagging", new byte[] {'1'}));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlight("lagging") == 4);
        long probe = System.nanoTime();
        HttpResponse<String> stats = get("/sink/stats");
        long probeMs = (System.nanoTime() - probe) / 1_000_000;
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        long totalMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(probeMs).as("the endpoint answers while 4 invocations sleep").isLessThan(500);
        assertThat(totalMs).as("4 concurrent 950 ms invocations, not serial").isBetween(950L, 3_000L);
    }

    @Test
    void dispatcherDeliversToTheSinkAndReportsInvalidRecords() throws Exception {
        byte[] event = kafkaEvent(List.of(value("e-1", 1), value("e-2", 2), "{\"code\":\"bad\"}", value("e-4", 3)));

        InvokeResponse r = invoke("dispatcher", event).join();

        assertThat(r.functionError()).isNull();
        JsonObject body = new JsonObject(r.payload().asUtf8String());
        assertThat(body.getJsonArray("batchItemFailures")).isEmpty();
        assertThat(body.getJsonArray("invalidRecords")).hasSize(1);
        assertThat(body.getJsonArray("invalidRecords").getJsonObject(0).getJsonObject("itemIdentifier"))
                .isEqualTo(new JsonObject().put("topic-partition", "mt-c300-0").put("offset", 102));
        assertThat(server.sink().uniqueCount()).isEqualTo(3);
        assertThat(server.sink().contains("e-4")).isTrue();

        invoke("dispatcher", event).join(); // a redelivery: the warm container's LRU skips what it delivered
        assertThat(server.sink().totalReceived()).isEqualTo(3);

        JsonObject stats = new JsonObject(get("/sink/stats").body());
        assertThat(stats.getLong("unique")).isEqualTo(3);
        assertThat(stats.getLong("duplicates")).isZero();
        assertThat(stats.getLong("orderViolations")).isZero();
        assertThat(stats.getJsonObject("latencyMs").getLong("count")).isEqualTo(3);
    }

    @Test
    void failOffsetsAreReportedWithoutReachingTheSink() {
        server.faults("dispatcher").failOffsets(List.of(new RecordId("mt-c300-0", 101)));

        InvokeResponse r = invoke("dispatcher", kafkaEvent(List.of(value("f-1", 1), value("f-2", 2))))
                .join();

        JsonArray failures = new JsonObject(r.payload().asUtf8String()).getJsonArray("batchItemFailures");
        assertThat(failures)
                .containsExactly(new JsonObject()
                        .put(
                                "itemIdentifier",
                                new JsonObject()
                                        .put("topic-partition", "mt-c300-0")
                                        .put("offset", 101)));
        assertThat(server.sink().contains("f-1")).isTrue();
        assertThat(server.sink().contains("f-2")).isFalse();
    }

    @Test
    void partialFailureRateOneFailsEveryRecordOfAMultiPartitionInvocationAndZeroNone() throws Exception {
        HttpResponse<String> bad = put("/local/functions/dispatcher/faults", "{\"partialFailureRate\":2}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(bad.body()).getString("message"))
                .isEqualTo("partialFailureRate must be in 0..1 but was 2.0");
        assertThat(put("/local/functions/dispatcher/faults", "{\"partialFailureRate\":1.0}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(new JsonObject(get("/local/functions/dispatcher/faults").body()).getDouble("partialFailureRate"))
                .isEqualTo(1.0);
        List<JsonObject> all = new ArrayList<>();
        byte[] event = multiPartitionEvent("pf", 3, 4, all);

        JsonObject failed =
                new JsonObject(invoke("dispatcher", event).join().payload().asUtf8String());

        assertThat(failed.getJsonArray("batchItemFailures").stream()
                        .map(f -> ((JsonObject) f).getJsonObject("itemIdentifier")))
                .as("every record of the three partitions, in event order")
                .containsExactlyElementsOf(all);
        assertThat(failed.getJsonArray("invalidRecords")).isEmpty();
        assertThat(server.sink().totalReceived()).isZero();

        assertThat(put("/local/functions/dispatcher/faults", "{\"partialFailureRate\":0.0}")
                        .statusCode())
                .isEqualTo(200);
        JsonObject ok =
                new JsonObject(invoke("dispatcher", event).join().payload().asUtf8String());

        assertThat(ok.getJsonArray("batchItemFailures")).isEmpty();
        assertThat(server.sink().uniqueCount()).isEqualTo(12);
    }

    @Test
    void aFailedOffsetHoldsBackTheLaterRecordsOfItsKeyInItsPartitionOnly() {
        // offsets 0..3 of each partition carry trucks T-0, T-1, T-0, T-1
        server.faults("dispatcher").failOffsets(List.of(new RecordId("pk-1", 0)));
        byte[] event = multiPartitionEvent("pk", 2, 4, new ArrayList<>());

        JsonObject body =
                new JsonObject(invoke("dispatcher", event).join().payload().asUtf8String());

        assertThat(body.getJsonArray("batchItemFailures").stream()
                        .map(f -> ((JsonObject) f).getJsonObject("itemIdentifier")))
                .containsExactly(id("pk-1", 0), id("pk-1", 2));
        assertThat(server.sink().uniqueCount()).isEqualTo(6);
        assertThat(server.sink().contains("pk-1-2"))
                .as("T-0's later record of partition 1 is held back")
                .isFalse();
        assertThat(server.sink().contains("pk-0-2"))
                .as("T-0 in partition 0 goes on")
                .isTrue();
    }

    @Test
    void aSinkOutageFailsEveryRoutedRecord() {
        server.sinkFaults().outage(true);

        InvokeResponse r = invoke("dispatcher", kafkaEvent(List.of(value("s-1", 1), value("s-2", 2))))
                .join();

        assertThat(new JsonObject(r.payload().asUtf8String()).getJsonArray("batchItemFailures"))
                .hasSize(2);
        assertThat(server.sink().totalReceived()).isZero();
    }

    @Test
    void faultsOverHttp() throws Exception {
        HttpResponse<String> bad = put("/local/functions/dispatcher/faults", "{\"errorRate\":3}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(bad.body()).getString("message")).isEqualTo("errorRate must be in 0..1 but was 3.0");
        assertThat(put("/local/functions/dispatcher/faults", "not json").statusCode())
                .isEqualTo(400);
        assertThat(put("/local/functions/ghost/faults", "{}").statusCode()).isEqualTo(404);

        HttpResponse<String> ok = put(
                "/local/functions/dispatcher/faults",
                "{\"latencyMs\":5,\"throttleRate\":0.5,\"failOffsets\":[{\"topic-partition\":\"t-0\",\"offset\":\"15\"}]}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(server.faults("dispatcher").get().throttleRate()).isEqualTo(0.5);
        assertThat(server.faults("dispatcher").get().failOffsets()).containsExactly(new RecordId("t-0", 15));
        JsonObject read =
                new JsonObject(get("/local/functions/dispatcher/faults").body());
        assertThat(read.getLong("latencyMs")).isEqualTo(5);
        assertThat(read.getJsonArray("failOffsets").getJsonObject(0).getValue("offset"))
                .isEqualTo(15);

        HttpResponse<String> reset = http.send(
                HttpRequest.newBuilder(URI.create(server.endpoint() + "/local/functions/dispatcher/faults"))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(server.faults("dispatcher").get()).isEqualTo(FaultSettings.NONE);
        assertThat(new JsonArray(get("/local/functions").body())
                        .getJsonObject(0)
                        .getString("name"))
                .isEqualTo("dispatcher");

        assertThat(put("/sink/faults", "{\"latencyMs\":-1}").statusCode()).isEqualTo(400);
        assertThat(put("/sink/faults", "{\"errorRate\":0.5}").statusCode()).isEqualTo(200);
        assertThat(server.sinkFaults().errorRate()).isEqualTo(0.5);
    }

    @Test
    void sinkEndpointAcceptsRoutedRecordsAndRejectsGarbage() throws Exception {
        HttpResponse<String> ok = post(
                "/sink/events",
                "[{\"eventId\":\"x-1\",\"key\":\"k\",\"seq\":2,\"timestamp\":1},"
                        + "{\"eventId\":\"x-2\",\"code\":301,\"truckId\":\"T\",\"seq\":1,\"timestamp\":1}]");
        HttpResponse<String> bad = post("/sink/events", "[{\"noId\":1}]");

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(ok.body()).getInteger("accepted")).isEqualTo(2);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(server.sink().uniqueCount()).isEqualTo(2);
        assertThat(post("/sink/reset", "").statusCode()).isEqualTo(204);
        assertThat(server.sink().uniqueCount()).isZero();
    }

    @Test
    void aBatchArrivesWhenItsBodyIsReceivedNotWhenASlowSinkAnswers() throws Exception {
        server.sinkFaults().latencyMs(400);
        long sent = System.currentTimeMillis();
        HttpResponse<String> ok =
                post("/sink/events", "[{\"eventId\":\"slow-1\",\"key\":\"k\",\"seq\":1,\"timestamp\":" + sent + "}]");
        long answered = System.currentTimeMillis();

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(answered - sent).isGreaterThanOrEqualTo(400); // the sink did wait before it answered
        long arrival = server.sink().firstArrivalMs("slow-1");
        assertThat(arrival).isBetween(sent, answered - 400); // but the batch had arrived before that wait
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.endpoint() + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.endpoint() + path))
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.endpoint() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String value(String eventId, long seq) {
        return new JsonObject()
                .put("eventId", eventId)
                .put("code", 301)
                .put("truckId", "T-1")
                .put("timestamp", System.currentTimeMillis())
                .put("seq", seq)
                .encode();
    }

    /** A Lambda Kafka event with the values at offsets 100, 101, ... of mt-c300-0. */
    static byte[] kafkaEvent(List<String> values) {
        JsonArray records = new JsonArray();
        for (int i = 0; i < values.size(); i++) {
            records.add(new JsonObject()
                    .put("topic", "mt-c300")
                    .put("partition", 0)
                    .put("offset", 100 + i)
                    .put("timestamp", System.currentTimeMillis())
                    .put("timestampType", "CREATE_TIME")
                    .put("key", Base64.getEncoder().encodeToString("301:T-1".getBytes(StandardCharsets.UTF_8)))
                    .put(
                            "value",
                            Base64.getEncoder().encodeToString(values.get(i).getBytes(StandardCharsets.UTF_8)))
                    .put(
                            "headers",
                            new JsonArray()
                                    .add(new JsonObject()
                                            .put(
                                                    "correlation-id",
                                                    new JsonArray().add(99).add(49)))));
        }
        return new JsonObject()
                .put("eventSource", "aws:kafka")
                .put("eventSourceArn", "arn:aws:kafka:local")
                .put("records", new JsonObject().put("mt-c300-0", records))
                .encode()
                .getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject id(String topicPartition, long offset) {
        return new JsonObject().put("topic-partition", topicPartition).put("offset", offset);
    }

    /**
     * A Lambda Kafka event over partitions 0..partitions-1 of {@code topic}, {@code perPartition} records each
     * (event id {@code <topic>-<partition>-<offset>}, key {@code 301:T-<offset % 2>}); the item identifiers of
     * its records are added to {@code ids} in event order.
     */
    static byte[] multiPartitionEvent(String topic, int partitions, int perPartition, List<JsonObject> ids) {
        JsonObject groups = new JsonObject();
        for (int p = 0; p < partitions; p++) {
            JsonArray records = new JsonArray();
            for (int o = 0; o < perPartition; o++) {
                String key = "301:T-" + (o % 2);
                String value = new JsonObject()
                        .put("eventId", topic + "-" + p + "-" + o)
                        .put("code", 301)
                        .put("truckId", "T-" + (o % 2))
                        .put("timestamp", System.currentTimeMillis())
                        .put("seq", o)
                        .encode();
                records.add(new JsonObject()
                        .put("topic", topic)
                        .put("partition", p)
                        .put("offset", o)
                        .put("timestamp", System.currentTimeMillis())
                        .put("timestampType", "CREATE_TIME")
                        .put("key", Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)))
                        .put("value", Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
                ids.add(id(topic + "-" + p, o));
            }
            groups.put(topic + "-" + p, records);
        }
        return new JsonObject()
                .put("eventSource", "aws:kafka")
                .put("records", groups)
                .encode()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Full function ARN as callers may pass it. */
    static final class InvokeApiArn {
        static String of(String name) {
            return "arn:aws:lambda:us-east-1:000000000000:function:" + name;
        }
    }
}
