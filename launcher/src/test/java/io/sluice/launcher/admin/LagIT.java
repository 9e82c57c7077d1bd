package io.sluice.launcher.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lag under a 20 s function outage with the generator producing 1,000 events/s: lag in records and in
 * seconds rises on the partitions, their status leaves OK (the breaker opens, commits stop), the
 * metrics show it, and after recovery everything returns to OK.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LagIT {
    private static final long OUTAGE_MS = 20_000;
    private static AdminTestSupport s;

    @BeforeAll
    static void start() throws Exception {
        // lag sampled every 500 ms, status judged over 6 samples (3 s)
        s = AdminTestSupport.start(AdminTestSupport.config(1000, 500, 6));
        s.awaitDelivering();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s != null) {
            s.sluice.localLambda().faults("dispatcher").outage(false);
            s.close();
        }
    }

    @Test
    void lagRisesDuringAnOutageAndRecovers() {
        await("every partition OK before the outage")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    JsonArray parts = s.pipelineStatus().getJsonArray("partitions");
                    assertThat(parts).hasSize(16);
                    assertThat(parts)
                            .allSatisfy(o -> assertThat(((JsonObject) o).getString("status"))
                                    .isEqualTo("OK"));
                });

        s.sluice.localLambda().faults("dispatcher").outage(true);
        long t0 = System.nanoTime();
        Map<String, Long> lagAt5s = new HashMap<>();
        Map<String, JsonObject> last = new HashMap<>();
        Set<String> leftOk = new HashSet<>();
        Set<String> nonOkMetric = new HashSet<>();
        try {
            await().atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                        for (Object o : s.pipelineStatus().getJsonArray("partitions")) {
                            JsonObject p = (JsonObject) o;
                            String tp = p.getString("topic") + "-" + p.getInteger("partition");
                            if (elapsed >= 5_000) {
                                lagAt5s.putIfAbsent(tp, p.getLong("lagRecords"));
                            }
                            if (!"OK".equals(p.getString("status"))) {
                                leftOk.add(tp);
                            }
                            last.put(tp, p);
                        }
                        s.registry
                                .find("sluice.consumer.lag.status")
                                .tag("pipeline", "standard")
                                .gauges()
                                .forEach(g -> {
                                    if (g.value() >= 2) {
                                        nonOkMetric.add(g.getId().getTag("topic") + "-"
                                                + g.getId().getTag("partition"));
                                    }
                                });
                        return elapsed >= OUTAGE_MS;
                    });
            String metrics = s.get("/metrics").body();
            assertThat(metrics)
                    .containsPattern(
                            "sluice_consumer_lag_status\\{partition=\"\\d+\",pipeline=\"standard\",topic=\"mt-c400\"} [23]\\.0");
            assertThat(metrics)
                    .containsPattern(
                            "sluice_consumer_lag_seconds\\{partition=\"\\d+\",pipeline=\"standard\",topic=\"mt-c400\"} (1\\d|[2-9]\\d)\\.");
        } finally {
            s.sluice.localLambda().faults("dispatcher").outage(false);
        }

        // lag rose on (nearly) every partition, in records and in seconds, and their status left OK
        int rising = 0;
        int old = 0;
        for (Map.Entry<String, JsonObject> e : last.entrySet()) {
            JsonObject p = e.getValue();
            if (p.getLong("lagRecords") > lagAt5s.getOrDefault(e.getKey(), Long.MAX_VALUE)) {
                rising++;
            }
            if (p.getDouble("lagSeconds") >= 10) {
                old++;
            }
        }
        assertThat(last).hasSize(16);
        assertThat(rising)
                .as("partitions whose lag in records rose between 5 s and 20 s of the outage: " + last)
                .isGreaterThanOrEqualTo(12);
        assertThat(old)
                .as("partitions whose lag in seconds reached 10 s: " + last)
                .isGreaterThanOrEqualTo(12);
        assertThat(leftOk).as("partitions whose status left OK").hasSizeGreaterThanOrEqualTo(12);
        assertThat(nonOkMetric)
                .as("partitions whose lag-status gauge showed STALL or STOP")
                .hasSizeGreaterThanOrEqualTo(12);
        JsonObject pipeline = s.pipelineStatus();
        assertThat(pipeline.getJsonObject("lag").getLong("records")).isGreaterThan(5_000);
        assertThat(pipeline.getJsonObject("lag").getString("worstStatus")).isIn("STALL", "STOP");

        // recovery: the breaker closes, the backlog drains, every partition returns to OK
        await("recovery")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    JsonObject p = s.pipelineStatus();
                    assertThat(p.getString("breaker")).isEqualTo("closed");
                    assertThat(p.getBoolean("paused")).isFalse();
                    assertThat(p.getJsonObject("lag").getDouble("maxSeconds")).isLessThan(5.0);
                    assertThat(p.getJsonArray("partitions"))
                            .allSatisfy(o -> assertThat(((JsonObject) o).getString("status"))
                                    .as(((JsonObject) o).encode())
                                    .isEqualTo("OK"));
                });
        assertThat(s.get("/health/ready").statusCode()).isEqualTo(200);
    }
}
