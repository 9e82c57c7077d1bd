package io.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.config.Cfg;
import io.sluice.http.LogCapture;
import io.sluice.http.RawHttp;
import io.sluice.kafka.KafkaSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 20, part 3, on the admin server over raw sockets: path tricks answered 4xx (not 500), anti-framing
 * headers on the dashboard and the API, failed authentication throttled per client, made-up HTTP methods not
 * growing {@code /metrics}, idle connections closed, and what refused requests log.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AdminHardeningTest {
    private static final String TOKEN = "test-admin-token";
    private Vertx vertx;
    private PrometheusMeterRegistry registry;
    private int port;
    private final LogCapture logs = new LogCapture();

    private void start(JsonObject extra) throws Exception {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        io.sluice.metrics.HttpMetricTags.install(registry); // as Main does, before Vert.x registers meters
        vertx = Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        JsonObject a = new JsonObject()
                .put("enabled", true)
                .put("host", "127.0.0.1")
                .put("port", 0)
                .put("token", TOKEN)
                .mergeIn(extra);
        AdminSettings settings = AdminSettings.from(new Cfg(a, "admin"), Map.of());
        KafkaSettings kafka =
                KafkaSettings.from(new Cfg(new JsonObject().put("bootstrapServers", "127.0.0.1:1"), "kafka"));
        AdminHttpVerticle admin = new AdminHttpVerticle(
                settings, new AdminHttpVerticle.Targets(List.of(), registry, kafka, false, false));
        get(vertx.deployVerticle(admin));
        port = admin.actualPort();
    }

    @AfterEach
    void tearDown() throws Exception {
        logs.close();
        if (vertx != null) {
            get(vertx.close());
        }
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private RawHttp.Response call(String requestHead) throws Exception {
        try (RawHttp c = new RawHttp(port, 10_000)) {
            c.write(requestHead);
            return c.read();
        }
    }

    private RawHttp.Response get(String path) throws Exception {
        return call("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    @Test
    void pathTricksAre4xxNot500AndLogNoStackTrace() throws Exception {
        start(new JsonObject());
        for (String path : List.of(
                "/%2e%2e%2f", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fpom.xml", "/%00", "/%zz", "/api/status/..;/x")) {
            RawHttp.Response r = get(path);
            assertThat(r.status()).as(path + " " + r.body()).isBetween(400, 499);
        }
        assertThat(logs.withStackTrace()).as(String.valueOf(logs.problems())).isZero();
        assertThat(get("/health/live").status()).isEqualTo(200);
    }

    @Test
    void theDashboardAndTheApiForbidFramingAndSniffing() throws Exception {
        start(new JsonObject());
        for (String path : List.of("/", "/index.html", "/api/status", "/health/live", "/nope")) {
            RawHttp.Response r = get(path);
            assertThat(r.header("X-Frame-Options")).as(path).isEqualTo("DENY");
            assertThat(r.header("Content-Security-Policy")).as(path).contains("frame-ancestors 'none'");
            assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
        }
    }

    @Test
    void wrongTokensAreThrottledPerClient() throws Exception {
        start(new JsonObject());
        int refused403 = 0;
        int throttled = 0;
        String retryAfter = null;
        for (int i = 0; i < 40; i++) {
            RawHttp.Response r =
                    call("POST /api/consumer/pause HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer guess-" + i
                            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            if (r.status() == 403) {
                refused403++;
            } else if (r.status() == 429) {
                throttled++;
                retryAfter = r.header("Retry-After");
            }
        }
        assertThat(refused403).as("guesses answered before throttling").isLessThanOrEqualTo(10);
        assertThat(throttled).isGreaterThanOrEqualTo(30);
        assertThat(retryAfter).isNotNull();
        assertThat(Integer.parseInt(retryAfter)).isPositive();
    }

    @Test
    void madeUpMethodsDoNotGrowTheMetrics() throws Exception {
        start(new JsonObject());
        get("/health/live");
        get("/nope");
        int before = get("/metrics").body().length();
        for (int i = 0; i < 300; i++) {
            call("M" + i + "X /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        }
        String after = get("/metrics").body();
        assertThat(after).doesNotContain("M299X");
        assertThat(after.length()).as("bytes of /metrics, before %d", before).isLessThan(before + 2_000);
    }

    @Test
    void anIdleConnectionIsClosedAfterHeaderTimeout() throws Exception {
        start(new JsonObject().put("headerTimeoutMs", 300));
        try (RawHttp c = new RawHttp(port, 8_000)) {
            c.write("GET /health/live HTTP/1.1\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aClientThatDisconnectsMidBodyLogsNothingAboveInfo() throws Exception {
        start(new JsonObject());
        try (RawHttp c = new RawHttp(port, 5_000)) {
            c.write("PUT /api/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"maxRecords\":");
        }
        assertThat(get("/health/live").status()).isEqualTo(200);
        org.awaitility.Awaitility.await()
                .during(java.time.Duration.ofMillis(300))
                .atMost(java.time.Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(logs.problems()).isEmpty());
    }
}
