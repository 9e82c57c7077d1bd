package io.sluice.launcher.admin;

import io.sluice.ops.OpsCommands;
import io.sluice.ops.OpsEnv;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

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
        conf.put("hotKeys", new JsonObject().put("intervalSeconds", 1).put("windowSeconds", 10).put("topN", 5).put("metricsTopN", 2));
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

    @Test
    void theHotKeyIsNamedWithItsShareOnBothSides() throws Exception {
        try (SkewedLoad load = new SkewedLoad(s.vertx, 100, 50, 0.30)) { // 2,000 events/s
            await().atMost(Duration.ofSeconds(60)).until(() -> load.hotPartition() != null && load.accepted() > 20_000);
            String hot = load.hotPartition();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonObject hk = s.status().getJsonObject("hotKeys");
                for (JsonObject side : new JsonObject[]{hk.getJsonObject("producer"),
                        hk.getJsonObject("consumer").getJsonObject("standard")}) {
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
            double producerShare = partition(hk.getJsonObject("producer"), hot).getJsonArray("keys").getJsonObject(0).getDouble("share");
            double consumerShare = partition(hk.getJsonObject("consumer").getJsonObject("standard"), hot)
                    .getJsonArray("keys").getJsonObject(0).getDouble("share");
            System.out.printf("HotKeysIT: %s on %s: sent share %.4f, producer window %.4f, consumer window %.4f%n",
                    SkewedLoad.HOT_KEY, hot, expected, producerShare, consumerShare);

            // /metrics: the top keys only, the hot one at rank 1 of its partition on both sides
            String topic = hot.substring(0, hot.lastIndexOf('-'));
            String part = hot.substring(hot.lastIndexOf('-') + 1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String metrics = s.get("/metrics").body();
                for (String side : new String[]{"producer", "consumer"}) {
                    Matcher m = Pattern.compile("sluice_hotkeys_share\\{[^}]*key=\"" + SkewedLoad.HOT_KEY + "\"[^}]*"
                            + "partition=\"" + part + "\"[^}]*rank=\"1\"[^}]*side=\"" + side + "\"[^}]*topic=\"" + topic
                            + "\"[^}]*} ([0-9.]+)").matcher(metrics);
                    assertThat(m.find()).as(side + " row in /metrics").isTrue();
                    assertThat(Double.parseDouble(m.group(1))).isCloseTo(expected, within(0.05));
                }
                long rows = metrics.lines().filter(l -> l.startsWith("sluice_hotkeys_share{")).count();
                // at most metricsTopN (2) rows per partition and side: 12 + 4 partitions, two sides
                assertThat(rows).isPositive().isLessThanOrEqualTo(2L * 16 * 2);
            });

            // the command against the running instance
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = OpsCommands.standard().run(new String[]{"hot-keys", "--admin", s.base(), "--topic", topic, "--top", "2"},
                    new OpsEnv(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                            Map.of(), path -> {
                                throw new IllegalStateException("not used");
                            }));
            String text = out.toString(StandardCharsets.UTF_8);
            System.out.println("HotKeysIT: hot-keys output:\n" + text);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
            assertThat(code).isZero();
            assertThat(text).contains("producer (acknowledged sends)", "consumer, pipeline standard (polled records)");
            Matcher line = Pattern.compile("  " + Pattern.quote(topic) + " +" + part + " +[0-9.]+ +" + Pattern.quote(SkewedLoad.HOT_KEY)
                    + " +([0-9.]+)%").matcher(text);
            assertThat(line.find()).as(text).isTrue();
            assertThat(Double.parseDouble(line.group(1)) / 100).isCloseTo(expected, within(0.05));
            assertThat(line.find()).as("the consumer's row too").isTrue();
            assertThat(text).doesNotContain("mt-c300");
            assertThat(load.failed()).isZero();
            assertThat(load.error()).isNull();
        }
    }
}
