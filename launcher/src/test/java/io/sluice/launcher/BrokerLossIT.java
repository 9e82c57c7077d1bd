package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.embedded.EmbeddedKafkaOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black box: the fat jar consumes from a broker of its own (not the embedded one) that is then killed for good
 * (SIGKILL, never restarted). Readiness must go DOWN within 30 s naming what is wrong, and SIGTERM must end the
 * process within {@code shutdownTimeoutMs} + 5 s even though no commit can reach Kafka any more.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BrokerLossIT {
    private static final long SHUTDOWN_TIMEOUT_MS = 15_000;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aBrokerKilledForGoodTurnsReadinessDownAndSigtermStillEndsInTime(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(EmbeddedKafkaOptions.builder()
                .logDirectory(Path.of("target", "it-broker-logs", "broker-loss-" + System.nanoTime()))
                .build())) {
            int adminPort = freePort();
            JsonObject conf = TestConfigs.local();
            conf.getJsonObject("embedded").put("enabled", false);
            conf.getJsonObject("kafka").put("bootstrapServers", cluster.bootstrapServers());
            conf.getJsonObject("ingest").put("enabled", false);
            conf.getJsonObject("generator").put("rate", 500);
            conf.getJsonObject("admin").put("port", adminPort).put("lagRefreshMs", 500);
            JsonObject pipeline = conf.getJsonArray("pipelines").getJsonObject(0);
            pipeline.put("shutdownTimeoutMs", SHUTDOWN_TIMEOUT_MS).put("groupId", "broker-loss");
            Path file = dir.resolve("sluice.json");
            Files.writeString(file, conf.encodePrettily());

            try (JarProcess sluice = JarProcess.start(dir, List.of("-Xmx512m"), "--config", file.toString())) {
                URI ready = URI.create("http://127.0.0.1:" + adminPort + "/health/ready");
                URI status = URI.create("http://127.0.0.1:" + adminPort + "/api/status");
                await("ready and delivering")
                        .atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> code(ready) == 200 && delivered(status) > 0);

                cluster.stopNode(cluster.nodeIds().get(0), true); // SIGKILL, for good
                long killedAt = System.nanoTime();
                AtomicReference<JsonObject> down = new AtomicReference<>();
                await("readiness DOWN after the broker died")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> {
                            HttpResponse<String> r = get(ready);
                            if (r != null && r.statusCode() == 503) {
                                down.set(new JsonObject(r.body()));
                                return true;
                            }
                            return false;
                        });
                long downMs = (System.nanoTime() - killedAt) / 1_000_000;
                JsonArray failed = down.get().getJsonArray("failed");
                assertThat(failed.getList()).contains("kafka");
                System.out.printf(
                        "[BrokerLossIT] readiness DOWN %d ms after the broker was killed; failed checks %s: %s%n",
                        downMs,
                        failed,
                        down.get()
                                .getJsonObject("checks")
                                .getJsonObject("kafka")
                                .getString("detail"));

                long termAt = System.nanoTime();
                sluice.process.toHandle().destroy(); // SIGTERM (Process#destroy would also close our end of its output)
                boolean exited = sluice.process.waitFor(SHUTDOWN_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
                long exitMs = (System.nanoTime() - termAt) / 1_000_000;
                System.out.printf(
                        "[BrokerLossIT] SIGTERM to exit: %d ms (bound %d ms), exit code %s%n",
                        exitMs, SHUTDOWN_TIMEOUT_MS + 5_000, exited ? sluice.process.exitValue() : "none");
                Files.write(Path.of("target", "broker-loss-sluice.log"), sluice.stdout);
                assertThat(exited)
                        .as(
                                "exited within shutdownTimeoutMs + 5 s; output in target/broker-loss-sluice.log; last: %s",
                                tail(sluice.stdout))
                        .isTrue();
                assertThat(String.join("\n", sluice.stdout)).contains("Sluice stopped");
            }
        }
    }

    private int code(URI u) {
        HttpResponse<String> r = get(u);
        return r == null ? -1 : r.statusCode();
    }

    private long delivered(URI status) {
        HttpResponse<String> r = get(status);
        if (r == null || r.statusCode() != 200) {
            return -1;
        }
        JsonObject p = new JsonObject(r.body()).getJsonArray("pipelines").getJsonObject(0);
        return p.getJsonObject("totals").getLong("delivered", 0L);
    }

    private HttpResponse<String> get(URI u) {
        try {
            return http.send(
                    HttpRequest.newBuilder(u)
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String tail(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
