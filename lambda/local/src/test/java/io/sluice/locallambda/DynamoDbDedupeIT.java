package io.sluice.locallambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.lambda.DispatchResponse;
import io.sluice.lambda.Dispatcher;
import io.sluice.lambda.RecordId;
import io.sluice.lambda.dedupe.DedupeStateMachine.Verdict;
import io.sluice.lambda.dedupe.DynamoDbDedupeStore;
import io.sluice.lambda.route.RouteTable;
import io.sluice.lambda.target.LogTarget;
import io.sluice.lambda.target.Target;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The durable dedupe store on a real DynamoDB-compatible server (dynalite, a child process): the state machine's
 * transitions through DynamoDB's conditional writes, an unavailable store reported as failures, the local endpoint
 * running the dispatcher against a dynalite it starts, and the deployable jar alone in dynamodb mode.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DynamoDbDedupeIT {

    private static Dynalite dynalite;
    private static DynamoDbClient client;

    @BeforeAll
    static void start() throws Exception {
        dynalite = Dynalite.start(DynaliteAssumption.cli(), Duration.ofSeconds(60));
        client = DynamoDbDedupeStore.client(dynalite.endpoint(), "us-east-1", credentials(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (dynalite != null) {
            dynalite.close();
        }
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }

    private static DynamoDbDedupeStore store(String table) {
        DynamoDbDedupeStore.createTableIfMissing(client, table, Duration.ofSeconds(30));
        return new DynamoDbDedupeStore(client, table, 3_600, 8, Duration.ofSeconds(5));
    }

    @Test
    void conditionalWritesFollowTheStateMachine() {
        DynamoDbDedupeStore store = store("machine");
        long now = System.currentTimeMillis();

        assertThat(store.claim(List.of("s|new", "s|crashed", "s|failed"), now, now + 60_000))
                .as("new keys")
                .containsExactly(Verdict.DISPATCH, Verdict.DISPATCH, Verdict.DISPATCH);
        assertThat(store.claim(List.of("s|new"), now + 1, now + 60_000))
                .as("in progress elsewhere")
                .containsExactly(Verdict.LOCKED);
        store.complete(List.of("s|new"));
        store.release(List.of("s|failed"));
        assertThat(store.claim(List.of("s|new", "s|failed"), now + 2, now + 60_000))
                .as("complete; released")
                .containsExactly(Verdict.SKIP_DELIVERED, Verdict.DISPATCH);
        assertThat(store.claim(List.of("s|crashed"), now + 60_001, now + 120_000))
                .as("expired lock taken over")
                .containsExactly(Verdict.TAKE_OVER);
        Map<String, AttributeValue> item = client.getItem(r -> r.tableName("machine")
                        .key(Map.of("pk", AttributeValue.builder().s("s|new").build()))
                        .consistentRead(true))
                .item();
        assertThat(item.get("s").s()).isEqualTo("COMPLETE");
        assertThat(Long.parseLong(item.get("ttl").n()))
                .as("TTL attribute, epoch seconds")
                .isBetween(now / 1000 + 3_500, now / 1000 + 3_700);
        assertThat(store.requests()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void aStoreThatIsDownMakesEveryRecordAFailure() throws Exception {
        Dynalite doomed = Dynalite.start(DynaliteAssumption.cli(), Duration.ofSeconds(60));
        try (DynamoDbClient c =
                DynamoDbDedupeStore.client(doomed.endpoint(), "us-east-1", credentials(), Duration.ofSeconds(2))) {
            DynamoDbDedupeStore.createTableIfMissing(c, "down", Duration.ofSeconds(30));
            doomed.close();
            DynamoDbDedupeStore store = new DynamoDbDedupeStore(c, "down", 3_600, 4, Duration.ofSeconds(2));
            RouteTable routes = RouteTable.fromJson(
                    "{\"targets\":{\"log\":{\"type\":\"log\"}},\"default\":[\"log\"]}", Dispatcher.MAPPER);
            Dispatcher d =
                    new Dispatcher(routes, Map.<String, Target>of("log", new LogTarget("log")), store, false, 60_000);

            DispatchResponse r = d.dispatch(event(2, 0), Set.of(), 0L);

            assertThat(r.batchItemFailures()).containsExactly(new RecordId("t-0", 0), new RecordId("t-0", 1));
            assertThat(r.invalidRecords()).isEmpty();
        } finally {
            doomed.close();
        }
    }

    @Test
    void theLocalEndpointRunsTheDispatcherAgainstADynaliteItStarts() throws Exception {
        DynaliteAssumption.cli();
        Vertx vertx = Vertx.vertx();
        LocalLambdaServer server = LocalLambdaServer.start(
                        vertx, LocalLambdaOptions.defaults().withDedupe(LocalDedupe.dynamoDb(null, false)))
                .toCompletionStage()
                .toCompletableFuture()
                .get(90, TimeUnit.SECONDS);
        try {
            assertThat(server.dynalite()).isPresent();
            byte[] event = event(5, 100);
            assertThat(invoke(server, event)).contains("\"batchItemFailures\":[]");
            assertThat(invoke(server, event)).as("a redelivery").contains("\"batchItemFailures\":[]");
            assertThat(server.sink().totalReceived())
                    .as("the sink saw each event once")
                    .isEqualTo(5);
            assertThat(server.sink().duplicates()).isZero();
            assertThat(server.functionDuplicates())
                    .as("what the caller delivered twice, counted at the function")
                    .isEqualTo(5);
            assertThat(server.dedupeStore().requests())
                    .as("5 claims + 1 batched complete, then 5 claims (+ reads)")
                    .isGreaterThanOrEqualTo(11);
        } finally {
            server.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        assertThat(server.dynalite().orElseThrow().pid())
                .satisfies(pid -> assertThat(ProcessHandle.of(pid)
                                .map(ProcessHandle::isAlive)
                                .orElse(false))
                        .as("dynalite stopped")
                        .isFalse());
    }

    @Test
    void theDeployableJarAloneDedupesThroughDynamoDb() throws Exception {
        File jar = new File(System.getProperty("sluice.aws.jar", "../function/target/missing-aws.jar"));
        assertThat(jar)
                .as("the -aws jar of lambda/function (built by its package phase)")
                .exists();
        DynamoDbDedupeStore.createTableIfMissing(client, "jar", Duration.ofSeconds(30));
        Map<String, String> props = Map.of(
                "sluice.routes",
                "{\"targets\":{\"log\":{\"type\":\"log\"}},\"default\":[\"log\"]}",
                "sluice.dedupe.mode",
                "dynamodb",
                "sluice.dedupe.table",
                "jar",
                "sluice.dedupe.endpoint",
                dynalite.endpoint().toString(),
                "sluice.dedupe.region",
                "us-east-1",
                "aws.accessKeyId",
                "local",
                "aws.secretAccessKey",
                "local");
        props.forEach(System::setProperty);
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {jar.toURI().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> handlerClass = Class.forName("io.sluice.lambda.DispatcherHandler", true, loader);
            Object handler = handlerClass.getConstructor().newInstance();
            Class<?> contextClass = Class.forName("com.amazonaws.services.lambda.runtime.Context", true, loader);
            Method handle =
                    handlerClass.getMethod("handleRequest", InputStream.class, OutputStream.class, contextClass);
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            handle.invoke(handler, new ByteArrayInputStream(event(3, 7)), out, null);

            assertThat(out.toString(StandardCharsets.UTF_8))
                    .isEqualTo("{\"batchItemFailures\":[],\"invalidRecords\":[]}");
            for (int i = 0; i < 3; i++) {
                String pk = "log|e-7-" + i;
                Map<String, AttributeValue> item = client.getItem(r -> r.tableName("jar")
                                .key(Map.of("pk", AttributeValue.builder().s(pk).build()))
                                .consistentRead(true))
                        .item();
                assertThat(item).as(pk).isNotEmpty();
                assertThat(item.get("s").s()).isEqualTo("COMPLETE");
            }
        } finally {
            props.keySet().forEach(System::clearProperty);
        }
    }

    private static String invoke(LocalLambdaServer server, byte[] event) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(server.endpoint() + "/2015-03-31/functions/dispatcher/invocations"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(event))
                                .timeout(Duration.ofSeconds(60))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** {@code n} telemetry records t-0@0.. with event ids {@code e-<tag>-<i>}. */
    static byte[] event(int n, int tag) {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String value = "{\"eventId\":\"e-" + tag + "-" + i + "\",\"code\":301,\"truckId\":\"T-" + i
                    + "\",\"timestamp\":" + System.currentTimeMillis() + "}";
            records.append(i == 0 ? "" : ",")
                    .append("{\"topic\":\"t\",\"partition\":0,\"offset\":")
                    .append(i)
                    .append(",\"timestamp\":1,\"timestampType\":\"CREATE_TIME\",\"key\":\"")
                    .append(Base64.getEncoder().encodeToString(("k" + i).getBytes(StandardCharsets.UTF_8)))
                    .append("\",\"value\":\"")
                    .append(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)))
                    .append("\",\"headers\":[]}");
        }
        return ("{\"eventSource\":\"SelfManagedKafka\",\"bootstrapServers\":\"b:9092\",\"records\":{\"t-0\":[" + records
                        + "]}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
