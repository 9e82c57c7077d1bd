package io.sluice.launcher.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.launcher.Main;
import io.sluice.launcher.Sluice;
import io.sluice.launcher.SluiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A local Sluice (embedded broker, local Lambda, generator) with the admin server on a free port, built
 * from the shipped {@code conf/local.json}, and a small blocking HTTP client for the tests' own threads.
 */
final class AdminTestSupport implements AutoCloseable {
    static final String TOKEN = "admin-it-token-0123";

    final Vertx vertx;
    final PrometheusMeterRegistry registry;
    final Sluice sluice;
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AdminTestSupport(Vertx vertx, PrometheusMeterRegistry registry, Sluice sluice) {
        this.vertx = vertx;
        this.registry = registry;
        this.sluice = sluice;
    }

    /** conf/local.json, status line off, admin on a free port with the test token, short lingers. */
    static JsonObject config(int generatorRate, long lagRefreshMs, int lagWindow) {
        JsonObject c = localJson();
        c.getJsonObject("status").put("intervalMs", 0);
        if (c.containsKey("ingest")) {
            c.getJsonObject("ingest").put("enabled", false);
        }
        c.getJsonObject("generator").put("rate", generatorRate);
        JsonObject p = c.getJsonArray("pipelines").getJsonObject(0);
        p.getJsonObject("batch").put("maxWaitMs", 100);
        p.put("commitIntervalMs", 500);
        c.put(
                "admin",
                new JsonObject()
                        .put("enabled", true)
                        .put("host", "127.0.0.1")
                        .put("port", 0)
                        .put("token", TOKEN)
                        .put("lagRefreshMs", lagRefreshMs)
                        .put("lagWindowSamples", lagWindow));
        return c;
    }

    static AdminTestSupport start(JsonObject conf) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx = Main.vertxWithMetrics(registry);
        Sluice sluice = new Sluice(vertx, SluiceConfig.fromJson(conf), registry);
        AdminTestSupport s = new AdminTestSupport(vertx, registry, sluice);
        try {
            sluice.start().toCompletionStage().toCompletableFuture().get(150, TimeUnit.SECONDS);
        } catch (Exception e) {
            s.close();
            throw e;
        }
        assertThat(sluice.adminPort()).isPositive();
        return s;
    }

    static JsonObject localJson() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("conf"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "conf/ not found above " + Path.of("").toAbsolutePath());
        }
        try {
            return new JsonObject(Files.readString(p.resolve("conf").resolve("local.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String base() {
        return "http://127.0.0.1:" + sluice.adminPort();
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET());
    }

    /** A request with a body and, when {@code token} is not null, {@code Authorization: Bearer <token>}. */
    HttpResponse<String> call(String method, String path, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    HttpResponse<String> authed(String method, String path, String body) {
        return call(method, path, body, TOKEN);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonObject status() {
        HttpResponse<String> r = get("/api/status");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    JsonObject pipelineStatus() {
        return status().getJsonArray("pipelines").getJsonObject(0);
    }

    static double counter(MeterRegistry registry, String name, String tag, String value) {
        return registry.find(name).tag(tag, value).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    double produced() {
        return counter(registry, "sluice.producer.results", "result", "accepted");
    }

    double delivered() {
        return sluice.pipelines().get(0).metrics().deliveredCount();
    }

    /** Waits until the pipeline delivers (the consumer has its assignment and the function answers). */
    void awaitDelivering() {
        double before = delivered();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> delivered() > before + 100);
    }

    @Override
    public void close() throws Exception {
        try {
            sluice.stopBlocking(Duration.ofSeconds(60));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        }
    }
}
