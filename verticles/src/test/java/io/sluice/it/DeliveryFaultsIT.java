package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.dispatch.DeadLetterWriter;
import io.sluice.lambda.RecordId;
import io.sluice.pipeline.Pipeline;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The delivery engine against real failures: the embedded broker, the real AWS SDK client, the local
 * Invoke endpoint injecting function errors, throttles and partial failures. Exact accounting by id.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(HarnessExtension.class)
class DeliveryFaultsIT {
    private static Harness h;

    @BeforeAll
    static void harness(Harness harness) {
        h = harness; // one broker, local Lambda and Vert.x for the class, closed after it (HarnessExtension)
    }

    private static void awaitCommittedToEnd(String group, String topic, Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(h.lag(group, topic))
                        .allSatisfy(
                                (tp, lag) -> assertThat(lag).as("lag of " + tp).isZero()));
    }

    private static Set<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> out = new HashSet<>();
        records.forEach(r -> out.add(Harness.eventId(r)));
        return out;
    }

    @Test
    void randomFunctionErrorsAndThrottlesLoseNothing() throws Exception {
        String topic = "faults";
        h.createTopics(12, topic, topic + "-dlq");
        h.function("fn-faults", 64).errorRate(0.2).throttleRate(0.1);
        Pipeline p = h.start(h.settings(
                "faults",
                topic,
                "fn-faults",
                new JsonObject().put("breaker", new JsonObject().put("maxFailures", 50))));
        List<String> ids = h.produce(topic, "flt", 100_000, 500);

        awaitCommittedToEnd("g-faults", topic, Duration.ofSeconds(240));
        int dead = (int) p.metrics().deadLetteredCount();
        Set<String> dlq = ids(h.readAll(topic + "-dlq", dead, Duration.ofSeconds(30)));
        assertThat(dlq).hasSize(dead);
        List<String> missing = h.sink().missing(ids);
        assertThat(dlq).containsAll(missing);
        long lost = missing.stream().filter(id -> !dlq.contains(id)).count();
        assertThat(lost).as("lost").isZero();
        assertThat(h.sink().uniqueCount() + dead).isGreaterThanOrEqualTo(ids.size());
        h.stop(p);
    }

    @Test
    void poisonRecordsGoStraightToTheDlqWithHeadersAndNoPartitionStalls() throws Exception {
        String topic = "poison";
        h.createTopics(4, topic, topic + "-dlq");
        h.function("fn-poison", 16);
        List<String> good = new ArrayList<>();
        Set<String> poisonValues = new HashSet<>();
        try (KafkaProducer<byte[], byte[]> prod = h.producer()) {
            for (int i = 0; i < 10_000; i++) {
                String truck = "T-" + (i % 50);
                if (i % 100 == 99) {
                    String bad = "not json {" + i;
                    poisonValues.add(bad);
                    prod.send(new ProducerRecord<>(topic, Harness.utf8("400:" + truck), Harness.utf8(bad)));
                } else {
                    String id = "psn-" + i;
                    good.add(id);
                    prod.send(new ProducerRecord<>(
                            topic, Harness.utf8("400:" + truck), Harness.event(id, 400, truck, i)));
                }
            }
            prod.flush();
        }
        Pipeline p = h.start(h.settings("poison", topic, "fn-poison", new JsonObject()));
        awaitCommittedToEnd("g-poison", topic, Duration.ofSeconds(120));

        assertThat(h.sink().missing(good)).isEmpty();
        List<ConsumerRecord<byte[], byte[]>> dlq = h.readAll(topic + "-dlq", 100, Duration.ofSeconds(30));
        assertThat(dlq).hasSize(100);
        Set<String> dlqValues = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            dlqValues.add(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(Harness.header(r, DeadLetterWriter.H_ERROR_CLASS)).isEqualTo("poison");
            assertThat(Harness.header(r, DeadLetterWriter.H_SOURCE_TOPIC)).isEqualTo(topic);
            assertThat(Harness.header(r, DeadLetterWriter.H_SOURCE_PARTITION)).matches("[0-3]");
            assertThat(Harness.header(r, DeadLetterWriter.H_SOURCE_OFFSET)).matches("\\d+");
            assertThat(Harness.header(r, DeadLetterWriter.H_ERROR_MESSAGE)).contains("JSON");
            assertThat(Harness.header(r, DeadLetterWriter.H_ATTEMPTS)).isEqualTo("0");
            assertThat(Harness.header(r, DeadLetterWriter.H_FIRST_FAILURE)).matches("\\d+");
            assertThat(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8))
                    .startsWith("400:T-");
        }
        assertThat(dlqValues).isEqualTo(poisonValues);
        h.stop(p);
    }

    @Test
    void partialFailuresResendFromEachLanesFirstFailureAndDeadLetterOnlyTheFailedRecords() throws Exception {
        long received = partialFailures("partial", "lane");
        assertThat(received)
                .as("the records behind each failure in its lane went again (at least once)")
                .isGreaterThan(997);
    }

    @Test
    void withTheNamedRuleOnlyTheNamedRecordsGoAgain() throws Exception {
        // Sluice's dispatcher names every record it did not process (a failed key's later records too), so the
        // named rule re-sends nothing else: the 997 others arrive exactly once
        assertThat(partialFailures("named", "named")).isEqualTo(997);
    }

    /** 3 always-failing offsets among 1,000 records of 40 keys on one partition, retry rule {@code rule}: arrivals at the sink. */
    private long partialFailures(String topic, String rule) throws Exception {
        h.createTopics(1, topic, topic + "-dlq");
        Set<RecordId> failing = Set.of(
                new RecordId(topic + "-0", 15), new RecordId(topic + "-0", 400), new RecordId(topic + "-0", 777));
        h.function("fn-" + topic, 8).failOffsets(failing);
        List<String> ids = h.produce(topic, "prt", 1_000, 40, topic + "-T-");
        long receivedBefore = h.sink().totalReceived();
        long violationsBefore = h.sink().orderViolations();
        Pipeline p = h.start(h.settings(
                topic,
                topic,
                "fn-" + topic,
                new JsonObject()
                        .put(
                                "retry",
                                new JsonObject()
                                        .put("maxAttempts", 4)
                                        .put("baseDelayMs", 10)
                                        .put("maxDelayMs", 50)
                                        .put("onPartialFailure", rule))));
        awaitCommittedToEnd("g-" + topic, topic, Duration.ofSeconds(60));

        List<ConsumerRecord<byte[], byte[]>> dlq = h.readAll(topic + "-dlq", 3, Duration.ofSeconds(20));
        assertThat(dlq)
                .extracting(r -> Long.parseLong(Harness.header(r, DeadLetterWriter.H_SOURCE_OFFSET)))
                .as("only the records that failed themselves, not the later records of their keys")
                .containsExactlyInAnyOrder(15L, 400L, 777L);
        assertThat(dlq).allSatisfy(r -> {
            assertThat(Harness.header(r, DeadLetterWriter.H_ERROR_CLASS)).isEqualTo("partial-failure");
            assertThat(Harness.header(r, DeadLetterWriter.H_ATTEMPTS)).isEqualTo("4");
        });
        Set<String> failedIds = ids(dlq);
        assertThat(h.sink().missing(ids)).containsExactlyInAnyOrderElementsOf(failedIds);
        assertThat(h.sink().orderViolations() - violationsBefore)
                .as("per-key order at the sink")
                .isZero();
        long received = h.sink().totalReceived() - receivedBefore;
        h.stop(p);
        return received;
    }

    @Test
    void batchesSplitByBytesAndAnOversizedRecordIsDeadLetteredAsTooLarge() throws Exception {
        String topic = "big";
        h.createTopics(1, topic, topic + "-dlq");
        h.function("fn-big", 8);
        String pad = "x".repeat(3_000);
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> prod = h.producer()) {
            for (int i = 0; i < 30; i++) {
                String id = "big-" + i;
                ids.add(id);
                byte[] v = new JsonObject()
                        .put("eventId", id)
                        .put("code", 400)
                        .put("truckId", "T-1")
                        .put("timestamp", System.currentTimeMillis())
                        .put("seq", i)
                        .put("pad", pad)
                        .toBuffer()
                        .getBytes();
                prod.send(new ProducerRecord<>(topic, Harness.utf8("400:T-1"), v));
            }
            byte[] huge = new JsonObject()
                    .put("eventId", "big-huge")
                    .put("code", 400)
                    .put("truckId", "T-1")
                    .put("timestamp", System.currentTimeMillis())
                    .put("pad", "y".repeat(40_000))
                    .toBuffer()
                    .getBytes();
            prod.send(new ProducerRecord<>(topic, Harness.utf8("400:T-1"), huge));
            prod.flush();
        }
        Pipeline p = h.start(h.settings(
                "big",
                topic,
                "fn-big",
                new JsonObject()
                        .put(
                                "batch",
                                new JsonObject()
                                        .put("maxRecords", 500)
                                        .put("maxBytes", 20_000)
                                        .put("maxWaitMs", 200))));
        awaitCommittedToEnd("g-big", topic, Duration.ofSeconds(60));

        assertThat(h.sink().missing(ids)).isEmpty();
        var batchBytes =
                h.registry.find("sluice.batch.bytes").tag("pipeline", "big").summary();
        assertThat(batchBytes).isNotNull();
        assertThat(batchBytes.max()).isLessThanOrEqualTo(20_000);
        assertThat(batchBytes.count())
                .as("30 records of ~4 KB payload need several batches")
                .isGreaterThanOrEqualTo(6);
        List<ConsumerRecord<byte[], byte[]>> dlq = h.readAll(topic + "-dlq", 1, Duration.ofSeconds(20));
        assertThat(dlq).singleElement().satisfies(r -> {
            assertThat(Harness.eventId(r)).isEqualTo("big-huge");
            assertThat(Harness.header(r, DeadLetterWriter.H_ERROR_CLASS)).isEqualTo("too-large");
        });
        h.stop(p);
    }
}
