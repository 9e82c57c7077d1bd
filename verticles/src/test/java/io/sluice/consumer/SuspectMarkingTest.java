package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.pipeline.FakeRecords;
import io.sluice.record.InRecord;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The poll loop marks records that may be redeliveries ({@link RedeliveryMarks}): after an assignment, records
 * below the partition's end offset at that time carry {@code sluice-suspect: 1} and
 * {@code sluice-delivery-attempt: 2}; records appended later carry no extra header (and share their header list).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SuspectMarkingTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    private final PacedConsumer consumer = new PacedConsumer();
    private final List<InRecord> polled = new CopyOnWriteArrayList<>();
    private KafkaPollLoop loop;

    @AfterEach
    void close() throws Exception {
        if (loop != null) {
            loop.close().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void recordsBelowTheEndOffsetAtAssignmentAreSuspects(Vertx vertx) throws Exception {
        consumer.updateEndOffsets(Map.of(TP, 5L)); // 5 records existed when the partition moved here
        start(vertx);
        consumer.assignOnNextPoll(List.of(TP));
        consumer.addOnNextPoll(FakeRecords.of(TP, 0, 8));
        await().atMost(Duration.ofSeconds(10)).until(() -> polled.size() == 8);

        for (InRecord r : polled) {
            boolean suspect = r.offset() < 5;
            assertThat(header(r, RecordConversion.SUSPECT_HEADER))
                    .as("suspect header of offset " + r.offset())
                    .isEqualTo(suspect ? "1" : null);
            assertThat(header(r, RecordConversion.DELIVERY_ATTEMPT_HEADER))
                    .as("attempt of offset " + r.offset())
                    .isEqualTo(suspect ? "2" : null);
        }
    }

    private void start(Vertx vertx) throws Exception {
        Context ctx = vertx.getOrCreateContext();
        loop = new KafkaPollLoop(
                () -> consumer,
                List.of("t"),
                ctx,
                new KafkaPollLoop.Listener() {
                    @Override
                    public void onAssigned(Map<TopicPartition, long[]> epochAndCommitted) {}

                    @Override
                    public void onRevoking(
                            Set<TopicPartition> partitions, CompletableFuture<Map<TopicPartition, Long>> finalOffsets) {
                        finalOffsets.complete(Map.of());
                    }

                    @Override
                    public void onLost(Set<TopicPartition> partitions) {}

                    @Override
                    public void onRecords(KafkaPollLoop.Polled p) {
                        polled.addAll(p.records());
                    }

                    @Override
                    public void onCommitted(
                            Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> epochs, Throwable failure) {}

                    @Override
                    public void onFatal(Throwable error) {}
                },
                1_000,
                Duration.ofMillis(20),
                Duration.ofSeconds(1));
        loop.start("suspect-poll-loop").get(10, TimeUnit.SECONDS);
    }

    private static String header(InRecord r, String name) {
        String v = null;
        for (InRecord.Header h : r.headers()) {
            if (h.name().equals(name)) {
                v = new String(h.value(), StandardCharsets.UTF_8);
            }
        }
        return v;
    }
}
