package io.sluice.launcher.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.kafka.KafkaSettings;
import io.sluice.launcher.ConfigLoader;
import io.sluice.locallambda.SinkStore;
import io.sluice.ops.OpsEnv;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code partitions increase} against a running Sluice under load (2,000 events/s through its producer, delivered by
 * its pipeline to the local Lambda): refusals change nothing; 12 -> 24 passes the pre-checks, the group rebalances
 * onto 24 partitions, the summary is printed, the producer writes to the new partitions, and every accepted event
 * id reaches the sink (lost 0).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PartitionsIncreaseIT {
    private static final String TOPIC = "mt-c400";
    private static AdminTestSupport s;

    @BeforeAll
    static void start() throws Exception {
        JsonObject conf = AdminTestSupport.config(1, 500, 6);
        conf.getJsonObject("generator").put("enabled", false);
        conf.put("hotKeys", new JsonObject().put("intervalSeconds", 1).put("windowSeconds", 10));
        // producers and consumers see the new partition count within 2 s instead of Kafka's default 5 minutes
        conf.getJsonObject("producer").getJsonObject("kafka").put("metadata.max.age.ms", "2000");
        conf.getJsonArray("pipelines")
                .getJsonObject(0)
                .put("kafka", new JsonObject().put("metadata.max.age.ms", "2000"));
        s = AdminTestSupport.start(conf);
    }

    @AfterAll
    static void stop() throws Exception {
        if (s != null) {
            s.close();
        }
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = io.sluice.cli.StandardCommands.create()
                .run(
                        args,
                        new OpsEnv(
                                new PrintStream(out, true, StandardCharsets.UTF_8),
                                new PrintStream(err, true, StandardCharsets.UTF_8),
                                Map.of(),
                                ConfigLoader::loadBlocking));
        Run r = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println(
                "PartitionsIncreaseIT: " + String.join(" ", args) + " -> exit " + code + "\n" + r.out + r.err);
        return r;
    }

    private static Map<Integer, Long> endOffsets(Admin admin, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> q = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            q.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
        }
        Map<Integer, Long> out = new HashMap<>();
        admin.listOffsets(q).all().get(10, TimeUnit.SECONDS).forEach((tp, o) -> out.put(tp.partition(), o.offset()));
        return out;
    }

    @Test
    void twelveToTwentyFourUnderLoadLosesNothing(@TempDir Path dir) throws Exception {
        String bootstrap = s.sluice.cluster().bootstrapServers();
        Path conf = dir.resolve("ops.json");
        // the operator's config: conf/local.json pointed at this broker (the command reads only how to reach Kafka)
        JsonObject ops = AdminTestSupport.localJson();
        ops.getJsonObject("embedded").put("enabled", false);
        ops.getJsonObject("localLambda").put("enabled", false);
        ops.getJsonObject("kafka").put("bootstrapServers", bootstrap);
        Files.writeString(conf, ops.encodePrettily());
        SinkStore sink = s.sluice.localLambda().sink();
        try (Admin admin = Admin.create(
                new KafkaSettings(bootstrap, Map.of(), List.of(), false).clientConfig(Map.of(), Map.of()))) {
            Run ok;
            SkewedLoad load = new SkewedLoad(s.vertx, 100, 50, 0.10); // 2,000 events/s
            try {
                s.awaitDelivering();
                await().atMost(Duration.ofSeconds(30)).until(() -> load.accepted() > 10_000);

                Run decrease = run(
                        "partitions",
                        "increase",
                        "--topic",
                        TOPIC,
                        "--to",
                        "8",
                        "--config",
                        conf.toString(),
                        "--admin",
                        s.base());
                assertThat(decrease.code()).isEqualTo(1);
                assertThat(decrease.err())
                        .contains("sluice partitions increase: refused (size): 12 -> 8 is not an increase");
                Run small = run(
                        "partitions",
                        "increase",
                        "--topic",
                        TOPIC,
                        "--to",
                        "16",
                        "--config",
                        conf.toString(),
                        "--admin",
                        s.base());
                assertThat(small.code()).isEqualTo(1);
                assertThat(small.err())
                        .contains("refused (size): 12 -> 16 is x1.33, under x1.5")
                        .contains("--to 24");
                assertThat(endOffsets(admin, 12)).hasSize(12);
                assertThat(admin.describeTopics(List.of(TOPIC))
                                .allTopicNames()
                                .get(10, TimeUnit.SECONDS)
                                .get(TOPIC)
                                .partitions())
                        .hasSize(12);

                Run dry = run(
                        "partitions",
                        "increase",
                        "--topic",
                        TOPIC,
                        "--to",
                        "24",
                        "--config",
                        conf.toString(),
                        "--admin",
                        s.base(),
                        "--prechecks",
                        "2s",
                        "--dry-run");
                assertThat(dry.code()).as(dry.err()).isZero();
                assertThat(dry.out()).contains("dry run: every pre-check passed; nothing changed");
                assertThat(admin.describeTopics(List.of(TOPIC))
                                .allTopicNames()
                                .get(10, TimeUnit.SECONDS)
                                .get(TOPIC)
                                .partitions())
                        .hasSize(12);

                ok = run(
                        "partitions",
                        "increase",
                        "--topic",
                        TOPIC,
                        "--to",
                        "24",
                        "--config",
                        conf.toString(),
                        "--admin",
                        s.base(),
                        "--prechecks",
                        "3s",
                        "--settle",
                        "5s",
                        "--max-wait",
                        "2m");
                assertThat(ok.code()).as(ok.err()).isZero();
                // records reach the new partitions: the producer partitions by the new count
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(endOffsets(admin, 24).entrySet().stream()
                                        .filter(e -> e.getKey() >= 12)
                                        .mapToLong(Map.Entry::getValue)
                                        .sum())
                                .isGreaterThan(1_000));
            } finally {
                load.close();
            }
            assertThat(load.failed()).isZero();
            assertThat(load.error()).isNull();
            List<String> ids = load.ids();
            await("every accepted event at the sink")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> sink.missing(ids).isEmpty());
            long lost = sink.missing(ids).size();
            System.out.printf(
                    "PartitionsIncreaseIT: accepted %d, unique at the sink %d, lost %d, duplicates %d%n",
                    ids.size(), sink.uniqueCount(), lost, sink.duplicates());
            assertThat(lost).as("lost").isZero();
            assertThat(sink.uniqueCount()).isEqualTo(ids.size());
            assertThat(ok.out())
                    .contains("  ok   size                   12 -> 24 (x2.00)")
                    .contains("  ok   producer keys records")
                    .contains("  ok   lag not growing")
                    .contains("  ok   group stable")
                    .contains("summary: mt-c400 12 -> 24 partitions");
            Matcher rebalance = Pattern.compile("rebalance +([0-9.]+) s").matcher(ok.out());
            assertThat(rebalance.find()).isTrue();
            Matcher peak = Pattern.compile("lag peak +([0-9]+) records").matcher(ok.out());
            assertThat(peak.find()).isTrue();
            Matcher normal = Pattern.compile("back to normal +([0-9.]+) s after the change")
                    .matcher(ok.out());
            assertThat(normal.find()).isTrue();
            assertThat(Double.parseDouble(normal.group(1)))
                    .isGreaterThanOrEqualTo(Double.parseDouble(rebalance.group(1)));
            assertThat(Long.parseLong(peak.group(1))).isPositive();
            assertThat(admin.describeTopics(List.of(TOPIC))
                            .allTopicNames()
                            .get(10, TimeUnit.SECONDS)
                            .get(TOPIC)
                            .partitions())
                    .hasSize(24);
            // the scaling signal sees the new partitions (12 + 4 of mt-c300) and one member; never above the partitions
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonObject p = s.pipelineStatus();
                assertThat(p.getJsonObject("scaling").getInteger("partitions")).isEqualTo(28);
                assertThat(p.getJsonObject("scaling").getInteger("members")).isEqualTo(1);
                assertThat(p.getInteger("recommendedConsumers")).isBetween(1, 28);
                assertThat(s.registry
                                .get("sluice.consumer.recommended")
                                .tag("pipeline", "standard")
                                .gauge()
                                .value())
                        .isEqualTo(p.getInteger("recommendedConsumers").doubleValue());
            });
        }
    }
}
