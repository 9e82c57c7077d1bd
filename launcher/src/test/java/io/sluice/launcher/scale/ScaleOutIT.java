package io.sluice.launcher.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.embedded.EmbeddedKafkaOptions;
import io.sluice.kafka.KafkaSettings;
import io.sluice.kafka.Topics;
import io.sluice.locallambda.LocalLambdaOptions;
import io.sluice.locallambda.LocalLambdaServer;
import io.sluice.locallambda.SinkStore;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Horizontal scale: two Sluice processes (the fat jar, {@code conf/consumer-only.json}) in one consumer
 * group on one broker share 12 partitions through Kafka's group protocol. Under steady load the first is
 * killed with SIGKILL while batches are in flight; the second takes over every partition, nothing is lost,
 * and the duplicates (counted at the sink, the dispatcher's dedupe off) stay within the in-flight bound.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ScaleOutIT {
    private static final String GROUP = "sluice-dispatcher";
    private static final String TOPIC = "mt-c400";
    /** pipelines[0].inFlight.maxRecords + max.poll.records: what one member may hold unfinished. */
    private static final int IN_FLIGHT_BOUND = 20_000 + 1_000;

    private static EmbeddedKafkaCluster cluster;
    private static KafkaSettings kafka;
    private static Vertx vertx;
    private static LocalLambdaServer lambda;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedKafkaCluster.start(EmbeddedKafkaOptions.builder().build());
        kafka = new KafkaSettings(cluster.bootstrapServers(), Map.of(), List.of(), true);
        Topics.create(
                kafka,
                List.of(
                        new KafkaSettings.TopicSpec(TOPIC, 12, (short) 1),
                        new KafkaSettings.TopicSpec("mt-c300", 4, (short) 1),
                        new KafkaSettings.TopicSpec("sluice-dlq", 4, (short) 1)));
        vertx = Vertx.vertx();
        // dedupe off: the sink sees (and counts) every redelivery
        lambda = LocalLambdaServer.start(
                        vertx,
                        LocalLambdaOptions.defaults()
                                .withDispatcherFunctionName("dispatcher")
                                .withConcurrency(256)
                                .withDedupeCapacity(0))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        // a slow function: batches are in flight whenever the member is killed
        lambda.faults("dispatcher").latencyMs(300);
    }

    @AfterAll
    static void stop() throws Exception {
        if (lambda != null) {
            lambda.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** conf/consumer-only.json as documented: bootstrap servers from the environment, the local endpoint by -D. */
    private static SluiceProcess consumer(Path workDir, String name) throws Exception {
        return SluiceProcess.start(
                workDir,
                name,
                confDir().resolve("consumer-only.json"),
                Map.of(
                        "SLUICE_KAFKA__BOOTSTRAP_SERVERS",
                        cluster.bootstrapServers(),
                        "SLUICE_ADMIN__PORT",
                        "0",
                        "SLUICE_STATUS__INTERVAL_MS",
                        "0"),
                List.of("-Xmx256m", "-Dsluice.pipelines.0.lambda.endpointOverride=" + lambda.endpoint()));
    }

    static Path confDir() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("conf"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "conf/ not found above " + Path.of("").toAbsolutePath());
        }
        return p.resolve("conf");
    }

    /** Partitions of {@link #TOPIC} owned per member client id, for a stable group. */
    private static Map<String, Integer> ownership(Admin admin) throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(GROUP))
                .all()
                .get(10, TimeUnit.SECONDS)
                .get(GROUP);
        Map<String, Integer> out = new HashMap<>();
        for (MemberDescription m : d.members()) {
            out.put(m.clientId(), (int) m.assignment().topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(TOPIC))
                    .count());
        }
        return out;
    }

    private static Map<TopicPartition, Long> lag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < 12; p++) {
            latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
        }
        var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        return ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> {
            OffsetAndMetadata c = committed.get(e.getKey());
            return e.getValue().offset() - (c == null ? 0 : c.offset());
        }));
    }

    @Test
    void theSurvivorTakesOverEveryPartitionAfterASigkillWithoutLoss(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        SinkStore sink = lambda.sink();
        try (Admin admin = Admin.create(kafka.clientConfig(Map.of(), Map.of()));
                SluiceProcess a = consumer(dir, "a");
                SluiceProcess b = consumer(dir, "b")) {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        assertThat(a.process.isAlive()).as("process a alive").isTrue();
                        assertThat(b.process.isAlive()).as("process b alive").isTrue();
                        Map<String, Integer> owners = ownership(admin);
                        assertThat(owners).hasSize(2);
                        assertThat(owners.values())
                                .as("both members own partitions")
                                .allSatisfy(n -> assertThat(n).isPositive());
                        assertThat(owners.values().stream()
                                        .mapToInt(Integer::intValue)
                                        .sum())
                                .isEqualTo(12);
                    });
            String aClient = "sluice-standard-" + a.process.pid();
            String bClient = "sluice-standard-" + b.process.pid();
            assertThat(ownership(admin)).containsOnlyKeys(aClient, bClient);

            int aOwnedBeforeKill;
            LoadProducer load = new LoadProducer(kafka, TOPIC, 2_000, 500);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> sink.uniqueCount() > 10_000);
                aOwnedBeforeKill = ownership(admin).get(aClient);
                // mid-batch: invocations are running (300 ms each) when a dies
                await().atMost(Duration.ofSeconds(10)).until(() -> lambda.inFlight("dispatcher") > 0);
                a.process.destroyForcibly(); // SIGKILL: no shutdown hook, no final commit
                assertThat(a.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(a.process.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
                long killedAt = System.currentTimeMillis();

                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> assertThat(ownership(admin)).isEqualTo(Map.of(bClient, 12)));
                long takeoverMs = System.currentTimeMillis() - killedAt;
                System.out.printf(
                        "ScaleOutIT: b owns all 12 partitions %d ms after the SIGKILL of a (which owned %d)%n",
                        takeoverMs, aOwnedBeforeKill);
                // a's session (session.timeout.ms 45 s by default) expires, then b is assigned everything
                assertThat(takeoverMs).as("ms until b owns every partition").isLessThan(60_000);
                long deliveredAtTakeover = sink.uniqueCount();
                await().atMost(Duration.ofSeconds(30)).until(() -> sink.uniqueCount() > deliveredAtTakeover + 5_000);
            } finally {
                load.close();
            }
            List<String> ids = load.ids();
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(lag(admin))
                            .allSatisfy(
                                    (tp, l) -> assertThat(l).as("lag of " + tp).isZero()));
            assertThat(b.process.isAlive()).isTrue();
            long lost = sink.missing(ids).size();
            long duplicates = sink.duplicates();
            System.out.printf(
                    "ScaleOutIT: produced (acknowledged) %d, unique at the sink %d, lost %d, duplicates %d "
                            + "(bound %d)%n",
                    ids.size(), sink.uniqueCount(), lost, duplicates, IN_FLIGHT_BOUND);
            assertThat(aOwnedBeforeKill).isPositive();
            assertThat(lost).as("lost").isZero();
            assertThat(duplicates).as("duplicates after the SIGKILL").isLessThanOrEqualTo(IN_FLIGHT_BOUND);
            assertThat(sink.uniqueCount()).isEqualTo(ids.size());
        }
    }
}
