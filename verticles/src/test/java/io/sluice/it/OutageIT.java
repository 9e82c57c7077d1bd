package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.locallambda.FaultInjection;
import io.sluice.pipeline.Pipeline;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The function is down for 30 s under a steady 5,000 msg/s: the consumer pauses (breaker and in-flight
 * bound), heap stays bounded, nothing goes to the DLQ, and afterwards everything drains; lost = 0.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(HarnessExtension.class)
class OutageIT {
    /** Heap in use right after the last collection, over all heap pools: the live set, not garbage. */
    static long liveHeapAfterLastGc() {
        long used = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    @Test
    void lambdaOutagePausesThenDrainsWithoutLossOrDlq(Harness h) throws Exception {
        String topic = "outage";
        h.createTopics(12, topic, topic + "-dlq");
        FaultInjection faults = h.function("fn-outage", 64);
        Pipeline p = h.start(h.settings(
                "outage",
                topic,
                "fn-outage",
                new JsonObject()
                        .put("ordering", "key")
                        .put("lanes", 4)
                        .put("inFlight", new JsonObject().put("maxRecords", 10_000))
                        .put("breaker", new JsonObject().put("maxFailures", 5).put("resetTimeoutMs", 2_000))));
        AtomicLong maxHeap = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
                () -> {
                    maxHeap.accumulateAndGet(liveHeapAfterLastGc(), Math::max);
                },
                0,
                100,
                TimeUnit.MILLISECONDS);
        Harness.Pacer load = new Harness.Pacer(h, topic, "out", 5_000, 1_000);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> h.sink().uniqueCount() > 10_000);
            faults.outage(true);
            long outageStart = System.nanoTime();
            // the breaker opens after 5 failed invocations and keeps the consumer paused: the metric shows it
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "open".equals(p.breakerState())
                            && h.registry
                                            .find("sluice.consumer.paused")
                                            .tag("pipeline", "outage")
                                            .gauge()
                                            .value()
                                    == 1.0);
            await().atMost(Duration.ofSeconds(40))
                    .until(() -> System.nanoTime() - outageStart >= TimeUnit.SECONDS.toNanos(30));
            faults.outage(false);
            await().atMost(Duration.ofSeconds(30)).until(() -> !p.consumer().paused());
        } finally {
            load.close();
        }
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(h.lag("g-outage", topic))
                        .allSatisfy((tp, lag) -> assertThat(lag).isZero()));
        sampler.shutdownNow();
        assertThat(h.sink().missing(load.ids())).as("lost").isEmpty();
        assertThat(p.metrics().deadLetteredCount())
                .as("an outage means lag, not DLQ")
                .isZero();
        long maxHeapMb = maxHeap.get() / (1024 * 1024);
        System.out.printf(
                "OutageIT: %d events, max live heap after GC %d MB (whole test JVM: broker client, "
                        + "local Lambda, sink and the test's id lists included), duplicates %d%n",
                load.ids().size(), maxHeapMb, h.sink().duplicates());
        assertThat(maxHeapMb).as("heap stays bounded").isLessThan(512);
        // a failed invocation delivers nothing (the endpoint answers 500 before the function runs): nothing twice
        assertThat(h.sink().duplicates()).as("duplicates after an outage").isZero();
    }
}
