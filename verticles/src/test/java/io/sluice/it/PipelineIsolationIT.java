package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.pipeline.Pipeline;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two pipelines in one process (one Vert.x, one local endpoint), each with its own topic, group, function,
 * batching and concurrency: the standard pipeline's function fails every invocation for 30 s; the
 * high-priority pipeline's delivery latency (send → first arrival at the sink) stays in its normal range,
 * and afterwards the standard pipeline catches up without loss.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(HarnessExtension.class)
class PipelineIsolationIT {
    private static Harness h;

    @BeforeAll
    static void harness(Harness harness) {
        h = harness; // one broker, local Lambda and Vert.x for the class, closed after it (HarnessExtension)
    }

    /** Send → first arrival at the sink of the ids sent in [from, to). */
    private static Histogram latency(Harness.Pacer pacer, long from, long to) {
        Histogram hist = new Histogram(3);
        for (Map.Entry<String, Long> e : Map.copyOf(pacer.sentAt).entrySet()) {
            if (e.getValue() >= from && e.getValue() < to) {
                long arrived = h.sink().firstArrivalMs(e.getKey());
                assertThat(arrived).as("arrival of " + e.getKey()).isPositive();
                hist.recordValue(Math.max(0, arrived - e.getValue()));
            }
        }
        return hist;
    }

    @Test
    void aFailingStandardFunctionDoesNotDelayTheHighPriorityPipeline() throws Exception {
        h.createTopics(12, "iso-standard", "iso-standard-dlq");
        h.createTopics(2, "iso-priority", "iso-priority-dlq");
        var standardFaults = h.function("fn-standard", 32);
        h.function("fn-priority", 8);
        Pipeline standard = h.start(h.settings(
                "iso-standard",
                "iso-standard",
                "fn-standard",
                new JsonObject()
                        .put("batch", new JsonObject().put("maxRecords", 500).put("maxWaitMs", 200))
                        .put(
                                "retry",
                                new JsonObject()
                                        .put("maxAttempts", 100)
                                        .put("baseDelayMs", 50)
                                        .put("maxDelayMs", 1_000))
                        .put("breaker", new JsonObject().put("maxFailures", 5).put("resetTimeoutMs", 1_000))
                        .put("lambda", new JsonObject().put("maxConcurrency", 32))));
        Pipeline priority = h.start(h.settings(
                "iso-priority",
                "iso-priority",
                "fn-priority",
                new JsonObject()
                        .put("batch", new JsonObject().put("maxRecords", 100).put("maxWaitMs", 20))
                        .put("lambda", new JsonObject().put("maxConcurrency", 8))));

        Harness.Pacer std = new Harness.Pacer(h, "iso-standard", "std", 500, 500);
        Harness.Pacer hp = new Harness.Pacer(h, "iso-priority", "hp", 100, 20);
        long baselineFrom;
        long baselineTo;
        long failFrom;
        long failTo;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> h.sink().uniqueCount() > 3_000);
            // warm-up (JIT, connections) before the normal range is measured: 1,000 more high-priority records (~10 s)
            int warm = hp.sentAt.size();
            await().atMost(Duration.ofSeconds(90)).until(() -> hp.sentAt.size() >= warm + 1_000);
            baselineFrom = System.currentTimeMillis();
            // the normal range: 1,500 high-priority records sent (~15 s)
            int base = hp.sentAt.size();
            await().atMost(Duration.ofSeconds(90)).until(() -> hp.sentAt.size() >= base + 1_500);
            baselineTo = System.currentTimeMillis();

            standardFaults.errorRate(1.0);
            failFrom = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(20)).until(() -> "open".equals(standard.breakerState()));
            // the failing range: 3,000 high-priority records sent while the standard function fails (~30 s)
            int failing = hp.sentAt.size();
            await().atMost(Duration.ofSeconds(120)).until(() -> hp.sentAt.size() >= failing + 3_000);
            failTo = System.currentTimeMillis();
            standardFaults.reset();
        } finally {
            std.close();
            hp.close();
        }
        List<String> stdIds = std.ids();
        List<String> hpIds = hp.ids();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(h.sink().missing(stdIds)).isEmpty());
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(h.sink().missing(hpIds)).isEmpty());

        Histogram before = latency(hp, baselineFrom, baselineTo);
        Histogram during = latency(hp, failFrom, failTo);
        Histogram stdDuring = latency(std, failFrom, failTo);
        System.out.printf(
                "PipelineIsolationIT: high-priority delivery latency p50/p99/max: normal %d/%d/%d ms (%d records), "
                        + "while the standard function failed %d/%d/%d ms (%d records); standard records sent meanwhile: "
                        + "p50 %d ms, max %d ms (delivered after the failure); standard invocations failed: %.0f%n",
                before.getValueAtPercentile(50),
                before.getValueAtPercentile(99),
                before.getMaxValue(),
                before.getTotalCount(),
                during.getValueAtPercentile(50),
                during.getValueAtPercentile(99),
                during.getMaxValue(),
                during.getTotalCount(),
                stdDuring.getValueAtPercentile(50),
                stdDuring.getMaxValue(),
                h
                        .registry
                        .find("sluice.dispatch.invocations")
                        .tag("pipeline", "iso-standard")
                        .tag("outcome", "function-error")
                        .counters()
                        .stream()
                        .mapToDouble(c -> c.count())
                        .sum());

        assertThat(before.getTotalCount()).isGreaterThan(1_000);
        assertThat(latency(std, baselineFrom, baselineTo).getValueAtPercentile(50))
                .as("standard delivers normally before")
                .isLessThan(5_000);
        assertThat(during.getTotalCount()).isGreaterThan(2_000);
        // the standard pipeline really was held up: its records sent during the failure waited for the fix
        assertThat(stdDuring.getValueAtPercentile(50)).isGreaterThan(5_000);
        // the high-priority pipeline was not: its p99 stays within its normal range (2× + 250 ms of noise
        // allowance on a shared 2-core machine)
        assertThat(during.getValueAtPercentile(99))
                .as("high-priority p99 while standard fails")
                .isLessThanOrEqualTo(2 * before.getValueAtPercentile(99) + 250);
        assertThat(priority.metrics().deadLetteredCount()).isZero();
        assertThat(standard.metrics().deadLetteredCount()).isZero();
        h.stop(priority);
        h.stop(standard);
    }
}
