package io.sluice.launcher.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.DistributionSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every admin endpoint against a running local pipeline (embedded broker, local Lambda, generator at
 * 1,000 events/s): happy paths, 401/403/400/404, and changes visible in behaviour.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AdminApiIT {
    private static AdminTestSupport s;

    @BeforeAll
    static void start() throws Exception {
        s = AdminTestSupport.start(AdminTestSupport.config(1000, 500, 6));
        s.awaitDelivering();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s != null) {
            s.close();
        }
    }

    /** Every test leaves the pipeline running at the configured rates. */
    @AfterEach
    void restore() {
        s.authed("POST", "/api/consumer/resume", null);
        s.authed("PUT", "/api/producer/rate", "{\"messagesPerSecond\":0,\"bytesPerSecond\":0}");
        s.authed("PUT", "/api/generator", "{\"rate\":1000}");
        s.authed("PUT", "/api/batch", "{\"maxRecords\":500,\"maxBytes\":5242880,\"maxWaitMs\":100}");
    }

    @Test
    void livenessAndReadiness() {
        HttpResponse<String> live = s.get("/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(live.body()).getString("status")).isEqualTo("UP");

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    HttpResponse<String> ready = s.get("/health/ready");
                    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                    JsonObject body = new JsonObject(ready.body());
                    assertThat(body.getString("status")).isEqualTo("UP");
                    assertThat(body.getJsonArray("failed")).isEmpty();
                    assertThat(body.getJsonObject("checks").fieldNames())
                            .containsExactlyInAnyOrder("kafka", "consumer", "breaker", "dlq", "producer");
                    assertThat(body.getJsonObject("checks")
                                    .getJsonObject("consumer")
                                    .getString("detail"))
                            .contains("16 partition(s)");
                });
    }

    @Test
    void readinessNamesTheFailedCheckWhenTheBreakerOpens() {
        s.sluice.localLambda().faults("dispatcher").outage(true);
        try {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        HttpResponse<String> ready = s.get("/health/ready");
                        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
                        JsonObject body = new JsonObject(ready.body());
                        assertThat(body.getString("status")).isEqualTo("DOWN");
                        assertThat(body.getJsonArray("failed").getList()).contains("breaker");
                        assertThat(body.getJsonObject("checks")
                                        .getJsonObject("breaker")
                                        .getString("detail"))
                                .contains("standard");
                    });
            assertThat(s.pipelineStatus().getString("breaker")).isEqualTo("open");
        } finally {
            s.sluice.localLambda().faults("dispatcher").outage(false);
        }
        await().atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> s.get("/health/ready").statusCode() == 200);
    }

    @Test
    void metricsExposeSluiceAndVertxMeters() {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    HttpResponse<String> r = s.get("/metrics");
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.headers().firstValue("Content-Type").orElse(""))
                            .startsWith("text/plain");
                    assertThat(r.body())
                            .contains(
                                    "sluice_producer_results_total{result=\"accepted\"}",
                                    "sluice_dispatch_records_delivered_total{pipeline=\"standard\"}",
                                    "sluice_dispatch_invoke_latency_seconds",
                                    "sluice_consumer_inflight_records{pipeline=\"standard\"}",
                                    "sluice_consumer_lag_records{partition=\"0\",pipeline=\"standard\",topic=\"mt-c400\"}",
                                    "sluice_consumer_lag_seconds{",
                                    "sluice_consumer_lag_status{",
                                    "sluice_generator_events_total",
                                    // Vert.x's own meters (vertx-micrometer-metrics): the HTTP server answering this,
                                    // the event bus
                                    "vertx_http_server_requests_total",
                                    "vertx_eventbus_");
                });
    }

    @Test
    void statusDescribesThePipeline() {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    JsonObject st = s.status();
                    assertThat(st.getJsonObject("kafka").getBoolean("reachable"))
                            .isTrue();
                    JsonObject producer = st.getJsonObject("producer");
                    assertThat(producer.getJsonObject("rate").getDouble("messagesPerSecond"))
                            .isZero();
                    assertThat(producer.getDouble("producedPerSecond")).isGreaterThan(100);
                    assertThat(st.getJsonObject("generator").getDouble("rate")).isEqualTo(1000.0);
                    JsonObject p = st.getJsonArray("pipelines").getJsonObject(0);
                    assertThat(p.getString("name")).isEqualTo("standard");
                    assertThat(p.getString("ordering")).isEqualTo("partition");
                    assertThat(p.getString("breaker")).isEqualTo("closed");
                    assertThat(p.getBoolean("paused")).isFalse();
                    assertThat(p.getJsonObject("batch").getInteger("maxRecords"))
                            .isEqualTo(500);
                    assertThat(p.getJsonObject("batch").getLong("maxWaitMs")).isEqualTo(100);
                    assertThat(p.getJsonObject("batch").getString("mode")).isEqualTo("adaptive");
                    assertThat(p.getJsonObject("inFlight").containsKey("records"))
                            .isTrue();
                    assertThat(p.getJsonObject("inFlight").containsKey("bytes")).isTrue();
                    assertThat(p.getJsonObject("rates").getDouble("deliveredPerSecond"))
                            .isGreaterThan(100);
                    assertThat(p.getJsonObject("invokeLatencyMs").getDouble("p50"))
                            .isNotNull()
                            .isPositive();
                    assertThat(p.getJsonArray("assignment")).hasSize(16).contains("mt-c400-0", "mt-c300-3");
                    JsonArray parts = p.getJsonArray("partitions");
                    assertThat(parts).hasSize(16);
                    for (int i = 0; i < parts.size(); i++) {
                        JsonObject part = parts.getJsonObject(i);
                        assertThat(part.fieldNames())
                                .contains(
                                        "topic",
                                        "partition",
                                        "committedOffset",
                                        "endOffset",
                                        "lagRecords",
                                        "lagSeconds",
                                        "inFlightRecords",
                                        "paused",
                                        "status");
                        assertThat(part.getLong("endOffset")).isGreaterThanOrEqualTo(part.getLong("committedOffset"));
                        assertThat(part.getLong("lagRecords"))
                                .isEqualTo(part.getLong("endOffset") - Math.max(0, part.getLong("committedOffset")));
                    }
                    assertThat(parts.stream()
                                    .mapToLong(o -> ((JsonObject) o).getLong("endOffset"))
                                    .sum())
                            .isPositive();
                });
    }

    @Test
    void everyMutatingEndpointNeedsTheToken() {
        int maxRecordsBefore = s.pipelineStatus().getJsonObject("batch").getInteger("maxRecords");
        List<String[]> endpoints = List.of(
                new String[] {"POST", "/api/consumer/pause", null},
                new String[] {"POST", "/api/consumer/resume", null},
                new String[] {"PUT", "/api/producer/rate", "{\"messagesPerSecond\":10}"},
                new String[] {"PUT", "/api/batch", "{\"maxRecords\":10}"},
                new String[] {"PUT", "/api/generator", "{\"rate\":10}"});
        for (String[] e : endpoints) {
            HttpResponse<String> none = s.call(e[0], e[1], e[2], null);
            assertThat(none.statusCode()).as(e[1] + " without token").isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate"))
                    .as(e[1])
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(new JsonObject(none.body()).getString("error")).contains("bearer");
            HttpResponse<String> wrong = s.call(e[0], e[1], e[2], AdminTestSupport.TOKEN + "x");
            assertThat(wrong.statusCode()).as(e[1] + " with a wrong token").isEqualTo(403);
        }
        // nothing was applied by the refused requests
        JsonObject p = s.pipelineStatus();
        assertThat(p.getBoolean("paused")).isFalse();
        assertThat(p.getJsonObject("batch").getInteger("maxRecords")).isEqualTo(maxRecordsBefore);
        assertThat(s.status().getJsonObject("generator").getDouble("rate")).isEqualTo(1000.0);
        // read-only endpoints need no token
        assertThat(s.get("/api/status").statusCode()).isEqualTo(200);
    }

    @Test
    void badBodiesAre400NamingTheFieldAndRange() {
        assertBad(
                "PUT",
                "/api/producer/rate",
                "{\"messagesPerSecond\":-1}",
                "messagesPerSecond",
                "must be a number between 0 and 1000000000000");
        assertBad("PUT", "/api/producer/rate", "{\"bytesPerSecond\":\"fast\"}", "bytesPerSecond", "got \"fast\"");
        assertBad("PUT", "/api/producer/rate", "{\"messagesPerSec\":5}", "messagesPerSec", "unknown field");
        assertBad("PUT", "/api/producer/rate", "{}", null, "at least one of");
        assertBad("PUT", "/api/producer/rate", "not json", null, "not valid JSON");
        assertBad("PUT", "/api/batch", "{\"maxRecords\":0}", "maxRecords", "between 1 and 50000");
        assertBad("PUT", "/api/batch", "{\"maxBytes\":10}", "maxBytes", "between 1024 and");
        assertBad("PUT", "/api/batch", "{\"maxWaitMs\":60001}", "maxWaitMs", "between 0 and 60000");
        assertBad("PUT", "/api/batch", "{\"lingerMs\":100}", "lingerMs", "applies to mode fixed only");
        assertBad("PUT", "/api/batch", "{\"mode\":\"fast\"}", "mode", "must be one of adaptive, fixed");
        assertBad(
                "PUT",
                "/api/batch",
                "{\"mode\":\"fixed\",\"maxWaitMs\":5}",
                "maxWaitMs",
                "applies to mode adaptive only");
        assertBad("PUT", "/api/batch", "{\"maxRecords\":2.5}", "maxRecords", "whole number");
        assertBad(
                "PUT", "/api/batch", "{\"pipeline\":\"nope\",\"maxRecords\":5}", "pipeline", "unknown pipeline 'nope'");
        assertBad("PUT", "/api/generator", "{\"rate\":-5}", "rate", "between 0 and 10000000");
        assertBad("PUT", "/api/generator", "[1]", null, "must be a JSON object");
        assertBad("POST", "/api/consumer/pause?pipeline=nope", null, "pipeline", "allowed: [standard]");
        assertBad("POST", "/api/consumer/pause", "{\"pipline\":\"standard\"}", "pipline", "unknown field");
        // nothing changed and the process keeps serving
        assertThat(s.pipelineStatus().getBoolean("paused")).isFalse();
        assertThat(s.get("/health/live").statusCode()).isEqualTo(200);
    }

    private static void assertBad(String method, String path, String body, String field, String text) {
        HttpResponse<String> r = s.authed(method, path, body);
        assertThat(r.statusCode())
                .as(method + " " + path + " " + body + " → " + r.body())
                .isEqualTo(400);
        JsonObject err = new JsonObject(r.body());
        assertThat(err.getString("error")).contains(text);
        if (field != null) {
            assertThat(err.getString("field")).isEqualTo(field);
            assertThat(err.getString("error")).startsWith(field + ":");
        }
    }

    @Test
    void unknownPathsAre404AndTheServerKeepsServing() {
        assertThat(s.get("/api/consumer/pause").statusCode())
                .as("known path, wrong method")
                .isEqualTo(405);
        for (String path : List.of("/api/nope", "/nope", "/api/consumer", "/health")) {
            HttpResponse<String> r = s.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(new JsonObject(r.body()).getString("error")).contains(path);
        }
        assertThat(s.authed("PUT", "/api/unknown", "{}").statusCode()).isEqualTo(404);
        assertThat(s.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(s.get("/").statusCode()).as("dashboard").isEqualTo(200);
    }

    @Test
    void producerRateChangeChangesTheMeasuredProduceRateWithinTwoSeconds() {
        awaitSteadyProduceRate();
        HttpResponse<String> r = s.authed("PUT", "/api/producer/rate", "{\"messagesPerSecond\":300}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        long changedAt = System.nanoTime();
        JsonObject eff = new JsonObject(r.body());
        assertThat(eff.getDouble("messagesPerSecond")).isEqualTo(300.0);
        assertThat(eff.getDouble("bytesPerSecond")).isZero();
        double limited = rateBetween(changedAt, 1_000, 2_000);
        assertThat(limited)
                .as("produce rate in the 2nd second after limiting to 300/s")
                .isBetween(150.0, 450.0);

        r = s.authed("PUT", "/api/producer/rate", "{\"messagesPerSecond\":0}");
        assertThat(r.statusCode()).isEqualTo(200);
        changedAt = System.nanoTime();
        double unlimited = rateBetween(changedAt, 1_000, 2_000);
        assertThat(unlimited)
                .as("produce rate in the 2nd second after lifting the limit (generator 1000/s)")
                .isGreaterThan(650.0);
        assertThat(s.status().getJsonObject("producer").getJsonObject("rate").getDouble("messagesPerSecond"))
                .isZero();
    }

    @Test
    void generatorRateChangeIsAppliedAtOnce() {
        awaitSteadyProduceRate();
        HttpResponse<String> r = s.authed("PUT", "/api/generator", "{\"rate\":300}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getDouble("rate")).isEqualTo(300.0);
        double rate = rateBetween(System.nanoTime(), 1_000, 2_000);
        assertThat(rate).as("produce rate with the generator at 300/s").isBetween(150.0, 450.0);
        assertThat(s.status().getJsonObject("generator").getDouble("rate")).isEqualTo(300.0);
    }

    /** Waits until the producer accepts close to the generator's 1,000 events/s (a loaded machine warms up slowly). */
    private static void awaitSteadyProduceRate() {
        await("produce rate near 1000/s")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> rateBetween(System.nanoTime(), 0, 1_000) >= 800);
    }

    /** Accepted events per second between {@code fromMs} and {@code toMs} after {@code t0}, measured on the producer's meter. */
    private static double rateBetween(long t0, long fromMs, long toMs) {
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(fromMs));
        double a = s.produced();
        long ta = System.nanoTime();
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(toMs));
        double b = s.produced();
        return (b - a) / ((System.nanoTime() - ta) / 1e9);
    }

    @Test
    void pauseStopsDeliveriesAndResumeRestartsThem() {
        HttpResponse<String> r = s.authed("POST", "/api/consumer/pause", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject answer = new JsonObject(r.body()).getJsonArray("pipelines").getJsonObject(0);
        assertThat(answer.getString("name")).isEqualTo("standard");
        assertThat(answer.getBoolean("paused")).isTrue();
        assertThat(answer.getJsonArray("pauseReasons").getList()).contains("manual");
        assertThat(s.pipelineStatus().getBoolean("paused")).isTrue();

        // what was in flight finishes, then nothing more is delivered
        double[] last = {-1};
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(1500))
                .until(() -> {
                    double now = s.delivered();
                    boolean still = now == last[0];
                    last[0] = now;
                    return still;
                });
        double stopped = s.delivered();
        await("no delivery while paused")
                .during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> s.delivered() == stopped);
        assertThat(s.pipelineStatus().getJsonObject("lag").getLong("records"))
                .as("lag grows while paused")
                .isPositive();

        r = s.authed("POST", "/api/consumer/resume?pipeline=standard", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(new JsonObject(r.body())
                        .getJsonArray("pipelines")
                        .getJsonObject(0)
                        .getBoolean("paused"))
                .isFalse();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> s.delivered() > stopped + 100);
        assertThat(s.pipelineStatus().getBoolean("paused")).isFalse();
    }

    @Test
    void batchSettingsChangeTheBatchesAtOnce() {
        HttpResponse<String> r = s.authed("PUT", "/api/batch", "{\"pipeline\":\"standard\",\"maxRecords\":2}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject b = new JsonObject(r.body())
                .getJsonArray("pipelines")
                .getJsonObject(0)
                .getJsonObject("batch");
        assertThat(b.getInteger("maxRecords")).isEqualTo(2);
        assertThat(b.getLong("maxWaitMs"))
                .as("unchanged fields keep their value")
                .isEqualTo(100);
        assertThat(s.pipelineStatus().getJsonObject("batch").getInteger("maxRecords"))
                .isEqualTo(2);

        // batches closed from now on hold at most 2 records on average
        DistributionSummary sizes = s.registry
                .find("sluice.batch.records")
                .tag("pipeline", "standard")
                .summary();
        assertThat(sizes).isNotNull();
        // batches that were open at the change (at most one per partition) close first
        double changedAt = sizes.count();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> sizes.count() >= changedAt + 50);
        double[] start = {sizes.count(), sizes.totalAmount()};
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> sizes.count() - start[0] >= 300);
        double avg = (sizes.totalAmount() - start[1]) / (sizes.count() - start[0]);
        assertThat(avg).as("average records per batch after maxRecords=2").isLessThanOrEqualTo(2.0);
    }
}
