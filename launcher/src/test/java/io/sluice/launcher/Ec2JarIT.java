package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.embedded.EmbeddedKafkaOptions;
import io.sluice.locallambda.LocalLambdaOptions;
import io.sluice.locallambda.LocalLambdaServer;
import io.vertx.core.Vertx;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EC2 artifact, {@code sluice-ec2.jar}: it carries none of the local-only parts (embedded broker, local Lambda
 * endpoint, the function), refuses a local-mode config with one line, and runs a pipeline end to end against a
 * broker and a Lambda endpoint of its own (here: a real broker and the local endpoint, both outside its JVM).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class Ec2JarIT {
    private static final int EVENTS = 300;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static Path ec2Jar() {
        Path jar = Path.of(System.getProperty("sluice.ec2.jar", "target/sluice-ec2.jar"));
        assertThat(jar).as("the EC2 jar is built by package").isRegularFile();
        return jar;
    }

    @Test
    void theEc2JarCarriesNoLocalOnlyPart() throws IOException {
        List<String> local = new ArrayList<>();
        int classes = 0;
        try (JarFile jar = new JarFile(ec2Jar().toFile())) {
            for (var e : java.util.Collections.list(jar.entries())) {
                String n = e.getName();
                classes += n.endsWith(".class") ? 1 : 0;
                if (n.startsWith("io/sluice/embedded/")
                        || n.startsWith("io/sluice/locallambda/")
                        || n.startsWith("io/sluice/lambda/")
                        || n.startsWith("io/sluice/launcher/LocalMode")
                        || n.startsWith("com/amazonaws/services/lambda/runtime/")) {
                    local.add(n);
                }
            }
            assertThat(jar.getEntry("io/sluice/launcher/SluiceVerticle.class")).isNotNull();
            assertThat(jar.getEntry("io/sluice/cli/SluiceCli.class")).isNotNull();
        }
        assertThat(local).as("local-only classes in the EC2 jar").isEmpty();
        assertThat(classes).isGreaterThan(1000);
        assertThat(Files.size(ec2Jar())).isLessThan(Files.size(JarProcess.jar()));
    }

    @Test
    void aLocalModeConfigIsRefusedInOneLine() throws Exception {
        try (JarProcess p = JarProcess.start(
                TestConfigs.confDir().getParent(),
                List.of("-Dsluice.admin.port=0", "-Dsluice.ingest.port=0"),
                ec2Jar(),
                "-conf",
                "conf/local.json")) {
            assertThat(p.process.waitFor(60, TimeUnit.SECONDS))
                    .as("exits, output: %s", p.stdout)
                    .isTrue();
            assertThat(p.process.exitValue()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(5)).until(() -> !p.stderr.isEmpty());
            assertThat(p.stderr)
                    .containsExactly("sluice: invalid configuration: embedded.enabled: local mode is not in "
                            + "this jar (sluice-ec2.jar carries no embedded broker or local Lambda endpoint): run sluice.jar for "
                            + "local mode, or set embedded.enabled to false");
        }
    }

    @Test
    void itDeliversEveryIngestedEventThroughItsOwnBrokerAndFunction(@TempDir Path dir) throws Exception {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(EmbeddedKafkaOptions.builder()
                .logDirectory(Path.of("target", "it-broker-logs", "ec2-jar-" + System.nanoTime()))
                .build())) {
            LocalLambdaServer lambda = LocalLambdaServer.start(vertx, LocalLambdaOptions.defaults())
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            int ingestPort = freePort();
            JsonObject conf = TestConfigs.local();
            conf.getJsonObject("embedded").put("enabled", false);
            conf.getJsonObject("localLambda").put("enabled", false);
            conf.getJsonObject("kafka").put("bootstrapServers", cluster.bootstrapServers());
            conf.getJsonObject("generator").put("enabled", false);
            conf.getJsonObject("ingest").put("enabled", true).put("port", ingestPort);
            conf.getJsonArray("pipelines")
                    .getJsonObject(0)
                    .put("groupId", "ec2-jar")
                    .getJsonObject("lambda")
                    .put("endpointOverride", lambda.endpoint());
            Path file = dir.resolve("sluice.json");
            Files.writeString(file, conf.encodePrettily());

            try (JarProcess sluice = JarProcess.start(dir, List.of("-Xmx512m"), ec2Jar(), "-conf", file.toString())) {
                JsonArray events = new JsonArray();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < EVENTS; i++) {
                    String id = "ec2-" + i;
                    ids.add(id);
                    events.add(new JsonObject()
                            .put("eventId", id)
                            .put("code", i % 2 == 0 ? 400 : 300)
                            .put("truckId", "T-" + (i % 17))
                            .put("timestamp", System.currentTimeMillis()));
                }
                URI ingest = URI.create("http://127.0.0.1:" + ingestPort + "/v1/events");
                try {
                    await("the ingest answers")
                            .atMost(Duration.ofSeconds(120))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> post(ingest, events) != null || !sluice.process.isAlive());
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError(
                            "no answer from the ingest; last: " + lastReply + "; output: "
                                    + String.join("\n", sluice.stdout) + "\n" + String.join("\n", sluice.stderr),
                            e);
                }
                assertThat(sluice.process.isAlive())
                        .as("the EC2 jar runs; its output: %s %s", sluice.stdout, sluice.stderr)
                        .isTrue();
                JsonObject answer = lastAnswer;
                assertThat(answer.getInteger("accepted"))
                        .as("answer %s", lastReply)
                        .isEqualTo(EVENTS);
                await("every event at the sink")
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> lambda.sink().missing(ids).isEmpty());
                assertThat(lambda.sink().uniqueCount()).isEqualTo(EVENTS);
                assertThat(lambda.sink().orderViolations()).isZero();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private volatile JsonObject lastAnswer;
    private volatile String lastReply;

    private JsonObject post(URI uri, JsonArray body) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(30))
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            // any answer ends the retries (only a refused connection is retried: nothing was produced then)
            lastReply = r.statusCode() + " " + r.body();
            lastAnswer = r.statusCode() / 100 == 2 ? new JsonObject(r.body()) : new JsonObject();
            return lastAnswer;
        } catch (IOException e) {
            lastReply = e.toString();
            return null; // not listening yet
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
}
