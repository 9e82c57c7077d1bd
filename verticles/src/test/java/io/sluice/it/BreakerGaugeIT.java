package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.locallambda.FaultInjection;
import io.sluice.pipeline.Pipeline;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code sluice.dispatch.breaker.state} follows the breaker a pipeline has now: a restarted pipeline (what a TLS
 * rotation does) gets a new breaker, and the gauge must read that one, not the first.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(HarnessExtension.class)
class BreakerGaugeIT {

    @Test
    void theBreakerGaugeFollowsTheNewBreakerOfARestartedPipeline(Harness h) throws Exception {
        String topic = "breaker-gauge";
        h.createTopics(2, topic, topic + "-dlq");
        FaultInjection faults = h.function("fn-gauge", 16);
        Pipeline p = h.start(h.settings(
                "gauge",
                topic,
                "fn-gauge",
                new JsonObject()
                        .put("breaker", new JsonObject().put("maxFailures", 3).put("resetTimeoutMs", 5_000))));
        DoubleSupplier gauge = () -> h.registry
                .find("sluice.dispatch.breaker.state")
                .tag("pipeline", "gauge")
                .gauge()
                .value();
        Harness.Pacer load = new Harness.Pacer(h, topic, "bg", 200, 50);
        try {
            openAndClose(p, faults, gauge); // the first breaker

            p.restart("test")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(60, TimeUnit.SECONDS); // as a TLS rotation does
            assertThat(gauge.getAsDouble()).as("the new breaker starts closed").isZero();

            openAndClose(p, faults, gauge); // the second breaker: the same gauge must read it
        } finally {
            load.close();
        }
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() ->
                        assertThat(h.sink().missing(load.ids())).as("lost").isEmpty());
        assertThat(p.metrics().deadLetteredCount())
                .as("an outage means lag, not DLQ")
                .isZero();
    }

    /** Takes the function down until the breaker is open (gauge 2), then up until it is closed again (gauge 0). */
    private static void openAndClose(Pipeline p, FaultInjection faults, DoubleSupplier gauge) {
        faults.outage(true);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "open".equals(p.breakerState()) && gauge.getAsDouble() == 2.0);
        faults.outage(false);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "closed".equals(p.breakerState()) && gauge.getAsDouble() == 0.0);
    }
}
