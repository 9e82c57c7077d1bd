package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.examples.ProduceExampleVerticle;
import io.sluice.locallambda.SinkStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sluice embedded the Vert.x way: a test application's Vert.x deploys {@link SluiceVerticle} (conf/local.json: embedded
 * broker, local Lambda sink) beside a user verticle that produces 10,000 events over {@code sluice.produce.batch};
 * every one reaches the sink exactly once (unique ids), and undeploying Sluice leaves no Sluice, Kafka or Netty
 * thread and no child process (the broker) behind, while the application's Vert.x and verticle keep running.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EmbeddedVerticleIT {
    private static final int EVENTS = 10_000;
    /** Threads Sluice's parts start: Kafka clients, the AWS SDK's Netty client, Sluice's own, the broker's pumps. */
    private static final Pattern SLUICE_THREADS =
            Pattern.compile("(?i).*(kafka|sluice|netty|aws|sdk-async|nioEventLoop|epoll|broker|lambda|hazelcast).*");

    private Vertx vertx;

    @AfterEach
    void close() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
        }
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void userVerticleProducesThroughTheBatchAddressAndUndeployLeavesNothingBehind() throws Exception {
        vertx = Vertx.vertx();
        Set<String> threadsBefore = threadNames();
        JsonObject conf = TestConfigs.local();
        conf.getJsonObject("generator").put("enabled", false);
        conf.getJsonObject("ingest").put("enabled", false);
        conf.getJsonObject("admin").put("enabled", false);

        SluiceVerticle sluice = new SluiceVerticle();
        String sluiceId = get(vertx.deployVerticle(sluice, new DeploymentOptions().setConfig(conf)), 180);
        ProduceExampleVerticle app = new ProduceExampleVerticle();
        String appId = get(
                vertx.deployVerticle(
                        app,
                        new DeploymentOptions()
                                .setConfig(new JsonObject()
                                        .put("events", EVENTS)
                                        .put("batchSize", 500)
                                        .put("prefix", "emb-"))),
                30);

        JsonObject summary = get(app.done(), 120);
        System.out.println("EmbeddedVerticleIT: " + summary.encode());
        assertThat(summary.getInteger("accepted"))
                .as("accepted by the producer: %s", summary)
                .isEqualTo(EVENTS);
        assertThat(summary.getJsonObject("rate").containsKey("messagesPerSecond"))
                .as("the rate was read")
                .isTrue();

        SinkStore sink = sluice.localLambda().sink();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> sink.uniqueCount() >= EVENTS);
        assertThat(sink.missing(app.acceptedIds()))
                .as("ids that never reached the sink")
                .isEmpty();
        assertThat(sink.uniqueCount()).as("unique ids at the sink").isEqualTo(EVENTS);
        List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
        assertThat(children).as("the embedded broker runs as a child JVM").isNotEmpty();

        get(vertx.undeploy(sluiceId), 90);
        assertThat(sluice.isStopped()).isTrue();
        assertThat(vertx.deploymentIDs())
                .as("only the application's verticle is left")
                .containsExactly(appId);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(
                                children.stream().filter(ProcessHandle::isAlive).toList())
                        .as("child processes")
                        .isEmpty());
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    Set<String> left = threadNames().stream()
                            .filter(n -> !threadsBefore.contains(n))
                            .filter(n -> SLUICE_THREADS.matcher(n).matches())
                            .collect(Collectors.toSet());
                    // the Lambda clients' shared Netty group included: the last client closed shuts it down
                    // (LambdaClients)
                    assertThat(left)
                            .as("threads of Sluice's parts still alive after the undeploy")
                            .isEmpty();
                });
        // the application's Vert.x still works
        assertThat(get(
                        vertx.eventBus()
                                .<JsonObject>request("no.such.address", new JsonArray())
                                .map(m -> true)
                                .recover(err -> io.vertx.core.Future.succeededFuture(true)),
                        10))
                .isTrue();
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }

    private static <T> T get(io.vertx.core.Future<T> f, int seconds) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    }
}
