package io.sluice.launcher.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.sluice.ops.OpsEnv;
import io.sluice.ops.partitions.PartitionPlan;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hot keys on the real path: a skewed load (30% of the events one key) through Sluice's producer to the embedded
 * broker and through the pipeline to the local Lambda. The producer's and the consumer's windows name the hot key
 * first on its partition with its share within ±5 points of the share the load actually sent there; /metrics
 * carries it as {@code sluice_hotkeys_share}; the {@code hot-keys} command prints it.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class HotKeysIT {
    private static AdminTestSupport s;

    @BeforeAll
    static void start() throws Exception {
        JsonObject conf = AdminTestSupport.config(1, 500, 6);
        conf.getJsonObject("generator").put("enabled", false);
        conf.put(
                "hotKeys",
                new JsonObject()
                        .put("intervalSeconds", 1)
                        .put("windowSeconds", 10)
                        .put("topN", 5)
                        .put("metricsTopN", 2));
        s = AdminTestSupport.start(conf);
    }

    @AfterAll
    static void stop() throws Exception {
        if (s != null) {
            s.close();
        }
    }

    private static JsonObject partition(JsonObject side, String topicPartition) {
        for (Object o : side.getJsonArray("partitions", new JsonArray())) {
            JsonObject p = (JsonObject) o;
            if ((p.getString("topic") + "-" + p.getInteger("partition")).equals(topicPartition)) {
                return p;
            }
        }
        return null;
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in\n" + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** The smaller of a status number before and after the command ran, less rounding. */
    private static double lower(JsonObject before, JsonObject after, String obj, String field) {
        return Math.min(
                        before.getJsonObject(obj).getDouble(field),
                        after.getJsonObject(obj).getDouble(field))
                - 0.11;
    }

    private static double upper(JsonObject before, JsonObject after, String obj, String field) {
        return Math.max(
                        before.getJsonObject(obj).getDouble(field),
                        after.getJsonObject(obj).getDouble(field))
                + 0.11;
    }

    @Test
    void theHotKeyIsNamedWithItsShareOnBothSides() throws Exception {
        try (SkewedLoad load = new SkewedLoad(s.vertx, 100, 50, 0.30)) { // 2,000 events/s
            await().atMost(Duration.ofSeconds(60)).until(() -> load.hotPartition() != null && load.accepted() > 20_000);
            String hot = load.hotPartition();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        JsonObject hk = s.status().getJsonObject("hotKeys");
                        for (JsonObject side : new JsonObject[] {
                            hk.getJsonObject("producer"),
                            hk.getJsonObject("consumer").getJsonObject("standard")
                        }) {
                            JsonObject p = partition(side, hot);
                            assertThat(p).as("partition " + hot + " in " + side).isNotNull();
                            JsonObject top = p.getJsonArray("keys").getJsonObject(0);
                            assertThat(top.getString("key")).isEqualTo(SkewedLoad.HOT_KEY);
                            assertThat(top.getDouble("share")).isCloseTo(load.hotShareOf(hot), within(0.05));
                            assertThat(p.getLong("records")).isGreaterThan(1_000);
                        }
                    });
            JsonObject hk = s.status().getJsonObject("hotKeys");
            double expected = load.hotShareOf(hot);
            double producerShare = partition(hk.getJsonObject("producer"), hot)
                    .getJsonArray("keys")
                    .getJsonObject(0)
                    .getDouble("share");
            double consumerShare = partition(hk.getJsonObject("consumer").getJsonObject("standard"), hot)
                    .getJsonArray("keys")
                    .getJsonObject(0)
                    .getDouble("share");
            System.out.printf(
                    "HotKeysIT: %s on %s: sent share %.4f, producer window %.4f, consumer window %.4f%n",
                    SkewedLoad.HOT_KEY, hot, expected, producerShare, consumerShare);

            // /metrics: the top keys only, the hot one at rank 1 of its partition on both sides
            String topic = hot.substring(0, hot.lastIndexOf('-'));
            String part = hot.substring(hot.lastIndexOf('-') + 1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String metrics = s.get("/metrics").body();
                for (String side : new String[] {"producer", "consumer"}) {
                    Matcher m = Pattern.compile("sluice_hotkeys_share\\{[^}]*key=\"" + SkewedLoad.HOT_KEY + "\"[^}]*"
                                    + "partition=\"" + part + "\"[^}]*rank=\"1\"[^}]*side=\"" + side + "\"[^}]*topic=\""
                                    + topic
                                    + "\"[^}]*} ([0-9.]+)")
                            .matcher(metrics);
                    assertThat(m.find()).as(side + " row in /metrics").isTrue();
                    assertThat(Double.parseDouble(m.group(1))).isCloseTo(expected, within(0.05));
                }
                long rows = metrics.lines()
                        .filter(l -> l.startsWith("sluice_hotkeys_share{"))
                        .count();
                // at most metricsTopN (2) rows per partition and side: 12 + 4 partitions, two sides
                assertThat(rows).isPositive().isLessThanOrEqualTo(2L * 16 * 2);
            });

            // the command against the running instance
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = io.sluice.cli.StandardCommands.create()
                    .run(
                            new String[] {"hot-keys", "--admin", s.base(), "--topic", topic, "--top", "2"},
                            new OpsEnv(
                                    new PrintStream(out, true, StandardCharsets.UTF_8),
                                    new PrintStream(err, true, StandardCharsets.UTF_8),
                                    Map.of(),
                                    path -> {
                                        throw new IllegalStateException("not used");
                                    }));
            String text = out.toString(StandardCharsets.UTF_8);
            System.out.println("HotKeysIT: hot-keys output:\n" + text);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
            assertThat(code).isZero();
            assertThat(text).contains("producer (acknowledged sends)", "consumer, pipeline standard (polled records)");
            Matcher line = Pattern.compile("  " + Pattern.quote(topic) + " +" + part + " +[0-9.]+ +"
                            + Pattern.quote(SkewedLoad.HOT_KEY) + " +([0-9.]+)%")
                    .matcher(text);
            assertThat(line.find()).as(text).isTrue();
            assertThat(Double.parseDouble(line.group(1)) / 100).isCloseTo(expected, within(0.05));
            assertThat(line.find()).as("the consumer's row too").isTrue();
            assertThat(text).doesNotContain("mt-c300");

            // plan partitions from the same running pipeline: its inputs are the instance's numbers, its outputs the
            // formula's
            JsonObject before = s.pipelineStatus();
            ByteArrayOutputStream planOut = new ByteArrayOutputStream();
            int planCode = io.sluice.cli.StandardCommands.create()
                    .run(
                            new String[] {
                                "plan",
                                "partitions",
                                "--admin",
                                s.base(),
                                "--topic",
                                topic,
                                "--target-rate",
                                "13000",
                                "--partitions",
                                "12",
                                "--consumers",
                                "1"
                            },
                            new OpsEnv(
                                    new PrintStream(planOut, true, StandardCharsets.UTF_8),
                                    new PrintStream(err, true, StandardCharsets.UTF_8),
                                    Map.of(),
                                    path -> {
                                        throw new IllegalStateException("not used");
                                    }));
            JsonObject after = s.pipelineStatus();
            String plan = planOut.toString(StandardCharsets.UTF_8);
            System.out.println("HotKeysIT: plan partitions output:\n" + plan);
            assertThat(planCode).as(err.toString(StandardCharsets.UTF_8)).isZero();
            double rate = number(plan, "topic rate +([0-9.]+) records/s");
            double p99 = number(plan, "function latency p99 +([0-9.]+) ms");
            double batch = number(plan, "effective batch +([0-9.]+) records per invocation");
            double lanes = number(plan, "records per invocation, ([0-9.]+) lanes per invocation");
            double share =
                    number(plan, "hottest key +" + Pattern.quote(SkewedLoad.HOT_KEY) + ", ([0-9.]+)% of the topic")
                            / 100;
            double kappa = number(plan, "consumer capacity +([0-9.]+) records/s");
            assertThat(rate).isCloseTo(2_000, within(500.0)); // the load sends 2,000/s
            assertThat(p99)
                    .isBetween(
                            lower(before, after, "invokeLatencyMs", "p99"),
                            upper(before, after, "invokeLatencyMs", "p99"));
            assertThat(batch)
                    .isBetween(
                            lower(before, after, "batching", "meanRecords"),
                            upper(before, after, "batching", "meanRecords"));
            assertThat(kappa)
                    .isBetween(
                            lower(before, after, "rates", "deliveredPerSecond"),
                            upper(before, after, "rates", "deliveredPerSecond"));
            assertThat(share).isCloseTo(0.30, within(0.05)); // every event goes to the topic, 30% with the hot key
            double busiest = number(plan, "busiest mt-c400-[0-9]+: ([0-9.]+)/s");
            assertThat(number(plan, "the busiest lane now: ([0-9.]+)/s"))
                    .isEqualTo(busiest); // partition ordering: a lane is a partition
            PartitionPlan expect = new PartitionPlan(13_000, p99 / 1000, batch, lanes, 1, share, kappa, 0.7, busiest);
            if (expect.partitions()
                    < 0) { // 30% of 13,000/s on one key: more than one lane carries at this p99 and batch
                assertThat(plan)
                        .contains("partitions needed     none suffices: the hottest key alone exceeds one lane");
            } else {
                assertThat((int) number(plan, "partitions needed +([0-9]+)")).isEqualTo(expect.partitions());
            }
            // the same measurements with the key's skew taken away: the count follows the formula
            ByteArrayOutputStream evenOut = new ByteArrayOutputStream();
            assertThat(io.sluice.cli.StandardCommands.create()
                            .run(
                                    new String[] {
                                        "plan",
                                        "partitions",
                                        "--admin",
                                        s.base(),
                                        "--topic",
                                        topic,
                                        "--target-rate",
                                        "13000",
                                        "--partitions",
                                        "12",
                                        "--consumers",
                                        "1",
                                        "--hot-share",
                                        "0",
                                        "--p99-ms",
                                        Double.toString(p99),
                                        "--batch-records",
                                        Double.toString(batch),
                                        "--consumer-capacity",
                                        Double.toString(kappa)
                                    },
                                    new OpsEnv(
                                            new PrintStream(evenOut, true, StandardCharsets.UTF_8),
                                            new PrintStream(err, true, StandardCharsets.UTF_8),
                                            Map.of(),
                                            path -> {
                                                throw new IllegalStateException("not used");
                                            })))
                    .isZero();
            String even = evenOut.toString(StandardCharsets.UTF_8);
            System.out.println("HotKeysIT: plan partitions --hot-share 0 output:\n" + even);
            PartitionPlan evenPlan = new PartitionPlan(
                    13_000,
                    p99 / 1000,
                    batch,
                    number(even, "records per invocation, ([0-9.]+) lanes"),
                    1,
                    0,
                    kappa,
                    0.7,
                    number(even, "the busiest lane now: ([0-9.]+)/s"));
            assertThat((int) number(even, "partitions needed +([0-9]+)")).isEqualTo(evenPlan.partitions());
            assertThat((int) number(even, "consumers needed +([0-9]+)"))
                    .isEqualTo(evenPlan.consumers(
                            Math.max(evenPlan.partitions(), PartitionPlan.doubling(12, evenPlan.partitions()))));
            assertThat((int) number(plan, "function concurrency +([0-9]+)")).isEqualTo(expect.concurrency());
            assertThat(plan)
                    .contains("going from 12 to ")
                    .contains("keys that move        50.0%")
                    .contains(SkewedLoad.HOT_KEY + " ".repeat(21 - SkewedLoad.HOT_KEY.length() + 1) + "partition "
                            + part + " -> ");
            assertThat(load.failed()).isZero();
            assertThat(load.error()).isNull();
        }
    }
}
