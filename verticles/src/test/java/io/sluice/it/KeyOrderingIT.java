package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.generator.ParetoSampler;
import io.sluice.locallambda.DispatcherFunction;
import io.sluice.locallambda.LambdaFunction;
import io.sluice.pipeline.Pipeline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Key ordering under concurrency: 100,000 records over Pareto hot and cold keys on 12 partitions, 8 lanes
 * each; the function sleeps 0–50 ms at random, and the endpoint fails or throttles some invocations (the
 * whole batch is retried). The function records the arrival order of each key and the invocations running
 * at once per key and per partition; the sink checks order among unique ids.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(HarnessExtension.class)
class KeyOrderingIT {
    private static final int RECORDS = 100_000;
    private static final int PARTITIONS = 12;
    private static final int LANES = 8;
    private static Harness h;

    @BeforeAll
    static void harness(Harness harness) {
        h = harness; // one broker, local Lambda and Vert.x for the class, closed after it (HarnessExtension)
    }

    /**
     * Wraps the dispatcher: per key, the seq of each arriving record must be above the last one seen
     * (arrival order) and no two invocations may hold the same key at once; per partition it tracks the
     * highest number of concurrent invocations. Then it sleeps 0–50 ms and delegates to the dispatcher.
     */
    static final class OrderRecordingFunction implements LambdaFunction {
        final Map<String, Long> lastSeq = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> activeKeys = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> activePartitions = new ConcurrentHashMap<>();
        final AtomicLong orderRegressions = new AtomicLong();
        final AtomicLong concurrentSameKey = new AtomicLong();
        final AtomicInteger maxPerPartition = new AtomicInteger();
        final AtomicLong recordsSeen = new AtomicLong();
        private final LambdaFunction delegate;

        OrderRecordingFunction(LambdaFunction delegate) {
            this.delegate = delegate;
        }

        @Override
        public byte[] invoke(byte[] payload, Map<String, String> headers) throws Exception {
            JsonObject event = new JsonObject(new String(payload, StandardCharsets.UTF_8));
            JsonObject byPartition = event.getJsonObject("records");
            Set<String> keys = new HashSet<>();
            List<String> partitions = new ArrayList<>(byPartition.fieldNames());
            for (String tp : partitions) {
                JsonArray records = byPartition.getJsonArray(tp);
                for (int i = 0; i < records.size(); i++) {
                    JsonObject r = records.getJsonObject(i);
                    String key = new String(Base64.getDecoder().decode(r.getString("key")), StandardCharsets.UTF_8);
                    long seq = new JsonObject(new String(
                                    Base64.getDecoder().decode(r.getString("value")), StandardCharsets.UTF_8))
                            .getLong("seq");
                    Long prev = lastSeq.put(key, seq);
                    if (prev != null && seq <= prev) {
                        orderRegressions.incrementAndGet();
                    }
                    keys.add(key);
                    recordsSeen.incrementAndGet();
                }
            }
            for (String k : keys) {
                if (activeKeys.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet() > 1) {
                    concurrentSameKey.incrementAndGet();
                }
            }
            for (String tp : partitions) {
                int n = activePartitions
                        .computeIfAbsent(tp, x -> new AtomicInteger())
                        .incrementAndGet();
                maxPerPartition.accumulateAndGet(n, Math::max);
            }
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(51));
                return delegate.invoke(payload, headers);
            } finally {
                keys.forEach(k -> activeKeys.get(k).decrementAndGet());
                partitions.forEach(tp -> activePartitions.get(tp).decrementAndGet());
            }
        }
    }

    @Test
    void perKeyOrderHoldsWithEightLanesPerPartitionRandomLatencyAndRetries() throws Exception {
        String topic = "key-order";
        h.createTopics(PARTITIONS, topic, topic + "-dlq");
        OrderRecordingFunction fn = new OrderRecordingFunction(
                DispatcherFunction.toSink(URI.create(h.lambda.endpoint() + "/sink/events"), Duration.ofSeconds(10), 0));
        h.lambda.register("fn-key-order", fn, 128, Duration.ofSeconds(30));
        h.lambda.faults("fn-key-order").errorRate(0.05).throttleRate(0.05);

        // Pareto keys: 20% of 2,000 trucks carry ~80% of the records; seq counts per key from 1.
        ParetoSampler pareto = new ParetoSampler(2_000, 0.2, 0.8);
        Random rnd = new Random(42);
        Map<String, Long> seq = new HashMap<>();
        List<String> ids = new ArrayList<>(RECORDS);
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>(RECORDS);
        try (KafkaProducer<byte[], byte[]> p = h.producer()) {
            for (int i = 0; i < RECORDS; i++) {
                String truck = "T-" + pareto.next(rnd);
                String key = "400:" + truck;
                long s = seq.merge(key, 1L, Long::sum);
                String id = "ko-" + i;
                ids.add(id);
                acks.add(p.send(new ProducerRecord<>(topic, Harness.utf8(key), Harness.event(id, 400, truck, s))));
            }
            p.flush();
            for (java.util.concurrent.Future<?> ack : acks) {
                ack.get();
            }
        }
        long hottest = seq.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        long coldKeys = seq.values().stream().filter(n -> n <= 5).count();
        assertThat(hottest).as("a hot key").isGreaterThan(1_000);
        assertThat(coldKeys).as("cold keys").isGreaterThan(100);

        Pipeline p = h.start(h.settings(
                "key-order",
                topic,
                "fn-key-order",
                new JsonObject()
                        .put("ordering", "key")
                        .put("lanes", LANES)
                        .put("batch", new JsonObject().put("maxRecords", 500).put("maxWaitMs", 50))
                        .put(
                                "retry",
                                new JsonObject()
                                        .put("maxAttempts", 50)
                                        .put("baseDelayMs", 10)
                                        .put("maxDelayMs", 200))
                        .put("breaker", new JsonObject().put("maxFailures", 1_000))
                        .put("lambda", new JsonObject().put("maxConcurrency", PARTITIONS * LANES))));

        await().atMost(Duration.ofSeconds(150))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(h.sink().uniqueCount()).isGreaterThanOrEqualTo(RECORDS));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(h.lag("g-key-order", topic))
                        .allSatisfy(
                                (tp, lag) -> assertThat(lag).as("lag of " + tp).isZero()));

        assertThat(h.sink().missing(ids)).as("lost").isEmpty();
        assertThat(p.metrics().deadLetteredCount()).as("dead-lettered").isZero();
        assertThat(h.sink().orderViolations())
                .as("per-key order violations at the sink")
                .isZero();
        assertThat(h.sink().duplicates())
                .as("duplicates (failures happen before the function runs)")
                .isZero();
        assertThat(fn.orderRegressions.get())
                .as("per-key arrival order at the function")
                .isZero();
        assertThat(fn.concurrentSameKey.get())
                .as("invocations holding the same key at once")
                .isZero();
        assertThat(fn.recordsSeen.get()).isEqualTo(RECORDS);
        assertThat(fn.lastSeq).isEqualTo(seq); // every key's last arrival is its last record
        assertThat(fn.maxPerPartition.get())
                .as("concurrent invocations of one partition")
                .isGreaterThan(1)
                .isLessThanOrEqualTo(LANES);
        var retries = h.registry
                .find("sluice.dispatch.retries")
                .tag("pipeline", "key-order")
                .counter();
        assertThat(retries).isNotNull();
        assertThat(retries.count())
                .as("retries after injected errors and throttles")
                .isGreaterThan(10);
        h.stop(p);
    }
}
