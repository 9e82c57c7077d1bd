package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.embedded.EmbeddedKafkaOptions;
import io.sluice.locallambda.LocalLambdaOptions;
import io.sluice.locallambda.LocalLambdaServer;
import io.sluice.locallambda.SinkStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs on loopback joined by the cluster manager (Hazelcast, TCP/IP members): the first is the fat jar under the
 * Vert.x launcher ({@code -conf} with {@code cluster.enabled}), producing to a real broker and consuming to a local
 * Lambda sink run by this test; the second ({@link RemoteProducerMain}) produces 10,000 events through the first's
 * {@code sluice.produce.batch}. Every reply is received and every accepted id reaches the sink exactly once; a
 * caller outside {@code cluster.allowedCallers} is refused with 403; the first JVM's SIGTERM stops it gracefully
 * while the remote caller, still sending, gets {@code stopping} and never silence (no request times out).
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ClusteredBusIT {
    private static final int EVENTS = 10_000;
    private static final String CALLER = "example-app";

    @TempDir
    Path dir;

    private EmbeddedKafkaCluster kafka;
    private Vertx vertx;
    private LocalLambdaServer lambda;
    private final List<AutoCloseable> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable p : processes) {
            p.close();
        }
        if (lambda != null) {
            lambda.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aVerticleInAnotherJvmProducesThroughSluiceAndGetsStoppingOnSigterm() throws Exception {
        kafka = EmbeddedKafkaCluster.start(EmbeddedKafkaOptions.builder().build());
        javax.net.ssl.SSLContext
                .getDefault(); // the JVM's trust store read here, not on the event loop by the sink's HTTP client
        vertx = Vertx.vertx();
        lambda = LocalLambdaServer.start(vertx, LocalLambdaOptions.defaults().withDispatcherFunctionName("dispatcher"))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        int hz1 = freePort();
        int hz2 = freePort();
        List<String> members = List.of("127.0.0.1:" + hz1, "127.0.0.1:" + hz2);

        JsonObject conf = TestConfigs.local();
        conf.getJsonObject("embedded").put("enabled", false);
        conf.getJsonObject("localLambda").put("enabled", false);
        conf.getJsonObject("generator").put("enabled", false);
        conf.getJsonObject("ingest").put("enabled", false);
        conf.getJsonObject("admin").put("enabled", false);
        conf.getJsonObject("kafka").put("bootstrapServers", kafka.bootstrapServers());
        conf.getJsonArray("pipelines")
                .getJsonObject(0)
                .getJsonObject("lambda")
                .put("endpointOverride", lambda.endpoint());
        conf.put(
                "cluster",
                new JsonObject()
                        .put("enabled", true)
                        .put("clusterName", "sluice-it")
                        .put("host", "127.0.0.1")
                        .put("hazelcastPort", hz1)
                        .put("members", new JsonArray(members))
                        .put("allowedCallers", new JsonArray().add(CALLER)));
        Path file = dir.resolve("cluster.json");
        Files.writeString(file, conf.encodePrettily());

        JarProcess sluice = JarProcess.start(dir, List.of("-Xmx512m"), "-conf", file.toString());
        processes.add(sluice);
        await().atMost(Duration.ofSeconds(150))
                .pollInterval(Duration.ofMillis(200))
                .failFast("the Sluice JVM exited", () -> !sluice.process.isAlive())
                .until(() -> String.join("\n", sluice.stdout).contains("Sluice started"));

        Path ids = dir.resolve("ids.txt");
        Child remote = Child.start(
                dir,
                RemoteProducerMain.class.getName(),
                String.valueOf(hz2),
                String.join(",", members),
                CALLER,
                String.valueOf(EVENTS),
                ids.toString());
        processes.add(remote);
        String result = remote.await("RESULT ", Duration.ofSeconds(300));
        JsonObject summary = new JsonObject(result.substring("RESULT ".length()));
        System.out.println("ClusteredBusIT: remote " + summary.encode());
        assertThat(summary.getInteger("accepted"))
                .as("accepted, every batch answered: %s", summary)
                .isEqualTo(EVENTS);
        assertThat(summary.getJsonObject("failures")).as("failures").isEmpty();
        assertThat(summary.getJsonObject("rate").containsKey("messagesPerSecond"))
                .as("the rate read remotely")
                .isTrue();
        String forbidden = remote.await("FORBIDDEN ", Duration.ofSeconds(5));
        assertThat(forbidden).startsWith("FORBIDDEN 403 forbidden: caller 'intruder'");

        List<String> accepted = Files.readAllLines(ids);
        assertThat(accepted).hasSize(EVENTS).doesNotHaveDuplicates();
        SinkStore sink = lambda.sink();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> sink.missing(accepted).isEmpty());
        assertThat(sink.duplicates()).as("duplicates at the sink").isZero();

        remote.await("TAIL-STARTED", Duration.ofSeconds(60));
        sluice.process.toHandle().destroy(); // SIGTERM
        assertThat(sluice.process.waitFor(90, TimeUnit.SECONDS))
                .as("the Sluice JVM stops within 90 s")
                .isTrue();
        assertThat(sluice.process.exitValue()).as("exit status after SIGTERM").isIn(0, 143);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(String.join("\n", sluice.stdout))
                        .contains("Stopping Sluice")
                        .contains("Sluice stopped"));

        JsonObject tail =
                new JsonObject(remote.await("TAIL {", Duration.ofSeconds(60)).substring("TAIL ".length()));
        System.out.println("ClusteredBusIT: tail during the SIGTERM " + tail.encode());
        if (tail.getLong("timeouts") > 0) { // what both sides logged around the stop, to tell where it was lost
            remote.lines.stream().filter(l -> l.startsWith("TAIL-")).forEach(l -> System.out.println("remote: " + l));
            List<String> out = new ArrayList<>(sluice.stdout);
            int from = 0;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).contains("Stopping Sluice")) {
                    from = Math.max(0, i - 5);
                }
            }
            out.subList(from, out.size()).forEach(l -> System.out.println("sluice: " + l));
        }
        assertThat(tail.getLong("answered"))
                .as("every tail request answered: %s", tail)
                .isEqualTo(tail.getLong("sent"));
        assertThat(tail.getLong("stopping")).as("'stopping' answers: %s", tail).isPositive();
        assertThat(tail.getLong("timeouts"))
                .as("requests left without an answer (timed out): %s", tail)
                .isZero();
        assertThat(tail.getLong("accepted"))
                .as("tail events accepted before the stop: %s", tail)
                .isPositive();
        assertThat(tail.getLong("other"))
                .as("tail answers other than accepted/stopping: %s", tail)
                .isZero();
        assertThat(remote.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A JVM on this test's class path running {@code main}, its stdout collected line by line. */
    static final class Child implements AutoCloseable {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        private Child(Process p) {
            this.process = p;
            OutputPump.start(p.getInputStream(), lines, "remote");
        }

        static Child start(Path dir, String main, String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    main));
            cmd.addAll(List.of(args));
            return new Child(new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start());
        }

        String await(String prefix, Duration within) {
            String[] found = new String[1];
            org.awaitility.Awaitility.await()
                    .atMost(within)
                    .pollInterval(Duration.ofMillis(100))
                    .failFast(
                            "the remote JVM exited: " + lines,
                            () -> !process.isAlive() && find(prefix).isEmpty())
                    .until(() -> {
                        Optional<String> l = find(prefix);
                        l.ifPresent(s -> found[0] = s);
                        return l.isPresent();
                    });
            return found[0];
        }

        private Optional<String> find(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).findFirst();
        }

        @Override
        public void close() throws Exception {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
