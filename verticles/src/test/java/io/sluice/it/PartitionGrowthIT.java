package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.consumer.PartitionStatus;
import io.sluice.pipeline.Pipeline;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A running pipeline picks up partitions added to its topic (12 → 24) on its next metadata refresh,
 * without a restart, reads them from the beginning and loses nothing, while load keeps coming.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(HarnessExtension.class)
class PartitionGrowthIT {
    private static Harness h;

    @BeforeAll
    static void harness(Harness harness) {
        h = harness; // one broker, local Lambda and Vert.x for the class, closed after it (HarnessExtension)
    }

    @Test
    void partitionsAddedUnderLoadAreConsumedFromTheirStartWithoutRestart() throws Exception {
        String topic = "growth";
        String group = "g-growth";
        h.createTopics(12, topic, topic + "-dlq");
        h.function("fn-growth", 64);
        Pipeline p = h.start(h.settings("growth", topic, "fn-growth", new JsonObject().put("ordering", "key")));
        List<String> newIds = new ArrayList<>();
        Harness.Pacer load = new Harness.Pacer(h, topic, "pg", 1_000, 500);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> h.sink().uniqueCount() > 2_000);
            assertThat(p.consumer()
                            .partitionStatus()
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS))
                    .hasSize(12);

            long grownAt = System.currentTimeMillis();
            try (Admin admin = Admin.create(h.kafka.clientConfig(Map.of(), Map.of()))) {
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(24)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> admin
                                        .describeTopics(List.of(topic))
                                        .allTopicNames()
                                        .get(10, TimeUnit.SECONDS)
                                        .get(topic)
                                        .partitions()
                                        .stream()
                                        .filter(i -> i.leader() != null)
                                        .count()
                                == 24);
            }
            // At once, before the consumer can know them: records on the new partitions only (an explicit
            // partition makes the producer fetch the new metadata). Lost if the consumer started at "latest".
            // Not idempotent: an idempotent producer whose first batch to a brand-new partition meets
            // NOT_LEADER_OR_FOLLOWER can retry OUT_OF_ORDER_SEQUENCE_NUMBER forever (kafka-clients 3.7.1 against
            // the 4.1.1 broker, seen here); acks=all with one request in flight loses nothing either.
            Map<String, Object> props = new HashMap<>(h.kafka.clientConfig(Map.of(), Map.of()));
            props.put("acks", "all");
            props.put("enable.idempotence", "false");
            props.put("max.in.flight.requests.per.connection", "1");
            props.put("delivery.timeout.ms", "60000");
            KafkaProducer<byte[], byte[]> prod =
                    new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
            try {
                List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
                for (int i = 0; i < 2_400; i++) {
                    int partition = 12 + i % 12;
                    String truck = "N-" + (i % 120);
                    String id = "pg-new-" + i;
                    newIds.add(id);
                    acks.add(prod.send(new ProducerRecord<>(
                            topic, partition, Harness.utf8("400:" + truck), Harness.event(id, 400, truck, i))));
                }
                for (java.util.concurrent.Future<?> ack : acks) {
                    ack.get(60, TimeUnit.SECONDS);
                }
            } finally {
                prod.close(Duration.ofSeconds(10));
            }

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        List<PartitionStatus> assigned = p.consumer()
                                .partitionStatus()
                                .toCompletionStage()
                                .toCompletableFuture()
                                .get(10, TimeUnit.SECONDS);
                        assertThat(assigned).hasSize(24);
                    });
            long pickedUpMs = System.currentTimeMillis() - grownAt;
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(h.sink().missing(newIds)).isEmpty());
            long deliveredMs = System.currentTimeMillis() - grownAt;
            System.out.printf(
                    "PartitionGrowthIT: 24 partitions assigned %d ms after the increase; the %d records on "
                            + "the new partitions delivered after %d ms%n",
                    pickedUpMs, newIds.size(), deliveredMs);
            // metadata.max.age.ms = 10 s, plus a cooperative rebalance
            assertThat(pickedUpMs)
                    .as("new partitions assigned within the metadata refresh bound")
                    .isLessThan(40_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> load.sentAt.size() > 4_000);
        } finally {
            load.close();
        }
        // the pacer is closed: every acknowledged id is known now
        List<String> loadIds = load.ids();
        assertThat(loadIds).hasSizeGreaterThan(4_000);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(h.lag(group, topic))
                        .hasSize(24)
                        .allSatisfy(
                                (tp, lag) -> assertThat(lag).as("lag of " + tp).isZero()));
        assertThat(h.sink().missing(newIds)).as("lost on new partitions").isEmpty();
        assertThat(h.sink().missing(loadIds)).as("lost on the old partitions").isEmpty();
        assertThat(p.metrics().deadLetteredCount()).isZero();
        h.stop(p);
    }
}
