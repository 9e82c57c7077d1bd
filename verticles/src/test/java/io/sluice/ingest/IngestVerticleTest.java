package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.bus.Addresses;
import io.sluice.http.ClientCalls;
import io.sluice.producer.ProducerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ingest verticle over real HTTP against a stand-in for {@code sluice.produce} (no Kafka): the
 * per-event answers, the overall status, the body limit, the correlation id and the graceful stop.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IngestVerticleTest {
    private Vertx vertx;
    private HttpClient client;
    private ClientCalls calls;
    private IngestVerticle ingest;
    private String deployment;
    private final List<Message<Object>> held = new CopyOnWriteArrayList<>();
    private final List<String> correlationIds = new CopyOnWriteArrayList<>();
    private final List<String> sources = new CopyOnWriteArrayList<>();

    record Reply(int status, JsonObject body, String retryAfter, String correlationId) {}

    @BeforeEach
    void setUp(Vertx vertx) throws Exception {
        this.vertx = vertx;
        // stand-in producer: "bad" → invalid, "limit" → rate-limited, "down" → unavailable, "hold" → answered later
        vertx.eventBus()
                .<Object>localConsumer(Addresses.PRODUCE, msg -> {
                    correlationIds.add(msg.headers().get(ProducerVerticle.CORRELATION_HEADER));
                    sources.add(msg.headers().get(ProducerVerticle.H_SOURCE));
                    String body = ((Buffer) msg.body()).toString();
                    if (body.contains("bad")) {
                        msg.fail(400, "invalid: wrong-type code: code must be an integer 0-2147483647, got a string");
                    } else if (body.contains("limit")) {
                        msg.fail(429, "rate-limited: over 10 msg/s");
                    } else if (body.contains("down")) {
                        msg.fail(503, "unavailable: Kafka did not acknowledge");
                    } else if (body.contains("hold")) {
                        held.add(msg);
                    } else {
                        msg.reply(new JsonObject()
                                .put("status", "accepted")
                                .put("topic", "t")
                                .put("partition", 1)
                                .put("offset", 7));
                    }
                })
                .completion()
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        IngestSettings s = new IngestSettings(true, "127.0.0.1", 0, 4096, 100, 5_000);
        ingest = new IngestVerticle(s, 10_000, new SimpleMeterRegistry());
        deployment = get(vertx.deployVerticle(ingest));
        client = vertx.createHttpClient();
        calls = new ClientCalls(vertx);
    }

    @AfterEach
    void tearDown() throws Exception {
        get(client.close());
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private Future<Reply> post(String contentType, String body, String correlationId) {
        RequestOptions o = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(ingest.actualPort())
                .setURI(IngestVerticle.PATH);
        if (contentType != null) {
            o.putHeader("Content-Type", contentType);
        }
        if (correlationId != null) {
            o.putHeader(IngestVerticle.CORRELATION_HEADER, correlationId);
        }
        return calls.on(() -> client.request(o)
                .compose(req -> req.send(Buffer.buffer(body)))
                .compose(res -> res.body().map(b -> reply(res, b))));
    }

    private static Reply reply(HttpClientResponse res, Buffer b) {
        return new Reply(
                res.statusCode(),
                b.length() == 0 ? null : new JsonObject(b),
                res.getHeader("Retry-After"),
                res.getHeader(IngestVerticle.CORRELATION_HEADER));
    }

    @Test
    void allAcceptedIs202WithPerEventResultsAndTheCorrelationIdOnTheBus() throws Exception {
        Reply r = get(post("application/x-ndjson", "{\"eventId\":\"a\"}\n{\"eventId\":\"b\"}\n", "req-42"));
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.correlationId()).isEqualTo("req-42");
        assertThat(r.body().getInteger("accepted")).isEqualTo(2);
        assertThat(r.body().getJsonArray("results").getJsonObject(1).getString("eventId"))
                .isEqualTo("b");
        assertThat(r.body().getJsonArray("results").getJsonObject(1).getString("topic"))
                .isEqualTo("t");
        assertThat(correlationIds).containsExactly("req-42", "req-42");
        assertThat(sources).containsOnly(IngestVerticle.SOURCE);
    }

    @Test
    void generatedCorrelationIdWhenNoneIsGiven() throws Exception {
        Reply r = get(post("application/json", "{\"eventId\":\"a\"}", null));
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.correlationId()).isNotBlank().isEqualTo(r.body().getString("correlationId"));
        assertThat(correlationIds).containsExactly(r.correlationId());
    }

    @Test
    void mixedResultsAre202PartialAndEachEventKeepsItsStatus() throws Exception {
        Reply r = get(post("application/json", "[{\"x\":\"bad\"},{\"eventId\":\"ok\"},{\"x\":\"limit\"}]", null));
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.body().getString("status")).isEqualTo("partial");
        assertThat(r.body().getJsonArray("results").stream().map(o -> ((JsonObject) o).getString("status")))
                .containsExactly("invalid", "accepted", "rate-limited");
        assertThat(r.retryAfter()).isEqualTo("1");
    }

    @Test
    void noneAcceptedMapsTo400Then429Then503() throws Exception {
        Reply invalid = get(post("application/json", "{\"code\":\"bad\"}", null));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body().getString("error")).contains("code");
        Reply limited = get(post("application/json", "[{\"x\":\"limit\"},{\"x\":\"bad\"}]", null));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.retryAfter()).isEqualTo("1");
        Reply down = get(post("application/json", "[{\"x\":\"limit\"},{\"x\":\"down\"}]", null));
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.body().getJsonArray("results")).hasSize(2);
    }

    @Test
    void requestLevelRefusalsSendNothing() throws Exception {
        assertThat(get(post("application/json", "{\"a\":", null)).status()).isEqualTo(400);
        assertThat(get(post("text/plain", "{}", null)).status()).isEqualTo(415);
        assertThat(get(post("application/json", "", null)).status()).isEqualTo(400);
        Reply big = get(post("application/json", "{\"pad\":\"" + "x".repeat(5000) + "\"}", null));
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.body().getString("error")).contains("maxBodyBytes");
        Reply badCid = get(post("application/json", "{}", "bad id with spaces"));
        assertThat(badCid.status()).isEqualTo(400);
        assertThat(badCid.body().getString("field")).isEqualTo(IngestVerticle.CORRELATION_HEADER);
        Reply element = get(post("application/json", "[{\"eventId\":\"a\"},\"b\"]", null));
        assertThat(element.status()).isEqualTo(400);
        assertThat(element.body().getString("field")).isEqualTo("body[1]");
        assertThat(correlationIds).as("events sent to the producer").isEmpty();
        // and it keeps serving
        assertThat(get(post("application/json", "{\"eventId\":\"a\"}", null)).status())
                .isEqualTo(202);
    }

    @Test
    void wrongPathAndMethod() throws Exception {
        RequestOptions o = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost("127.0.0.1")
                .setPort(ingest.actualPort())
                .setURI(IngestVerticle.PATH);
        int status =
                get(calls.on(() -> client.request(o).compose(req -> req.send()).map(HttpClientResponse::statusCode)));
        assertThat(status).isEqualTo(405);
        o.setMethod(HttpMethod.POST).setURI("/v2/nope");
        status = get(calls.on(() -> client.request(o).compose(req -> req.send()).map(HttpClientResponse::statusCode)));
        assertThat(status).isEqualTo(404);
    }

    @Test
    void gracefulStopAnswersInFlightRequestsAndRefusesNewOnesWith503() throws Exception {
        Future<Reply> inFlight = post("application/json", "{\"eventId\":\"hold\"}", null);
        await().atMost(5, TimeUnit.SECONDS).until(() -> held.size() == 1);
        Future<Void> undeployed = vertx.undeploy(deployment);
        Reply refused = get(post("application/json", "{\"eventId\":\"late\"}", null));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body().getString("error")).startsWith("stopping");
        assertThat(undeployed.isComplete())
                .as("stop waits for the request in progress")
                .isFalse();
        held.get(0)
                .reply(new JsonObject()
                        .put("status", "accepted")
                        .put("topic", "t")
                        .put("partition", 0)
                        .put("offset", 1));
        assertThat(get(inFlight).status()).isEqualTo(202);
        get(undeployed);
        assertThat(correlationIds)
                .as("only the first event reached the producer")
                .hasSize(1);
    }
}
