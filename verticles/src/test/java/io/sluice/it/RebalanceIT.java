package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.pipeline.Pipeline;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A second member joins the group mid-load. The first commits the final offsets of the revoked
 * partitions inside the revocation callback before releasing them, so the new owner starts after
 * them: duplicates stay within what was in flight (counted), and nothing is lost.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(HarnessExtension.class)
class RebalanceIT {
    @Test
    void revokedPartitionsAreCommittedBeforeTheNewOwnerStarts(Harness h) throws Exception {
        String topic = "rebalance";
        h.createTopics(12, topic, topic + "-dlq");
        h.function("fn-rb", 64).latencyMs(20);
        JsonObject common = new JsonObject()
                .put("groupId", "g-rebalance")
                .put("inFlight", new JsonObject().put("maxRecords", 4_000));
        Pipeline a = h.start(h.settings("rb-a", topic, "fn-rb", common));
        Harness.Pacer load = new Harness.Pacer(h, topic, "rb", 2_000, 300);
        Pipeline b;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> h.sink().uniqueCount() > 4_000);
            b = h.start(h.settings("rb-b", topic, "fn-rb", common));
            await().atMost(Duration.ofSeconds(60)).until(() -> b.metrics().deliveredCount() > 1_000);
        } finally {
            load.close();
        }
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(h.lag("g-rebalance", topic))
                        .allSatisfy((tp, lag) -> assertThat(lag).isZero()));
        assertThat(h.sink().missing(load.ids())).as("lost").isEmpty();
        assertThat(a.metrics().deliveredCount()).isPositive();
        long duplicates = h.sink().duplicates();
        System.out.printf(
                "RebalanceIT: %d events, duplicates after the rebalance: %d (in-flight bound 4000)%n",
                load.ids().size(), duplicates);
        assertThat(duplicates).isLessThanOrEqualTo(4_000);
    }
}
