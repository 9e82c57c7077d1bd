package io.sluice.ops.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.dispatch.DeadLetterWriter;
import io.sluice.dispatch.RedriveAttempts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The selection filter, the per-run counts and fates, and the records a redrive produces. */
@Timeout(5)
class RedriveSelectionTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A DLQ record as the DLQ writer writes it (plus an application header). */
    static ConsumerRecord<byte[], byte[]> dlq(
            int partition,
            long offset,
            long ts,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset,
            String errorClass,
            String attempt) {
        RecordHeaders h = new RecordHeaders();
        h.add("app", b("x"));
        if (attempt != null) {
            h.add(RedriveAttempts.H_REDRIVE_ID, b("rd-old"));
            h.add(RedriveAttempts.H_REDRIVE_ATTEMPT, b(attempt));
            h.add(RedriveAttempts.H_REDRIVE_FROM, b("sluice-dlq-0@1"));
        }
        if (sourceTopic != null) {
            h.add(DeadLetterWriter.H_SOURCE_TOPIC, b(sourceTopic));
        }
        h.add(DeadLetterWriter.H_SOURCE_PARTITION, b(Integer.toString(sourcePartition)));
        h.add(DeadLetterWriter.H_SOURCE_OFFSET, b(Long.toString(sourceOffset)));
        h.add(DeadLetterWriter.H_ERROR_CLASS, b(errorClass));
        h.add(DeadLetterWriter.H_ERROR_MESSAGE, b("no route for code 999"));
        h.add(DeadLetterWriter.H_ATTEMPTS, b("1"));
        return new ConsumerRecord<>(
                "sluice-dlq",
                partition,
                offset,
                ts,
                TimestampType.CREATE_TIME,
                1,
                1,
                b("999:T-1"),
                b("{\"eventId\":\"e\"}"),
                h,
                Optional.empty());
    }

    private static RedriveSelection any() {
        return new RedriveSelection("sluice-dlq", null, null, null, Set.of(), null, null, null, null);
    }

    @Test
    void deadLetterReadsTheWritersHeadersAndToleratesMissingOnes() {
        DeadLetter d = DeadLetter.of(dlq(2, 7, 1000, "mt-c400", 3, 55, "invalid-record", "2"));
        assertThat(d).isEqualTo(new DeadLetter("sluice-dlq", 2, 7, 1000, "mt-c400", 3, 55L, "invalid-record", 2));
        assertThat(d.coordinates()).isEqualTo("sluice-dlq-2@7");
        ConsumerRecord<byte[], byte[]> bare = new ConsumerRecord<>("q", 0, 1, new byte[0], new byte[0]);
        assertThat(DeadLetter.of(bare)).isEqualTo(new DeadLetter("q", 0, 1, -1, null, null, null, null, 0));
    }

    @Test
    void everyFilterNarrowsAndOffsetsAndWindowBoundsAreAsDocumented() {
        DeadLetter d = DeadLetter.of(dlq(0, 1, 1_000, "mt-c400", 3, 55, "invalid-record", null));
        assertThat(any().matches(d)).isTrue();
        assertThat(sel(Instant.ofEpochMilli(1_000), null, Set.of(), null, null, null, null)
                        .matches(d))
                .isTrue();
        assertThat(sel(Instant.ofEpochMilli(1_001), null, Set.of(), null, null, null, null)
                        .matches(d))
                .isFalse();
        assertThat(sel(null, Instant.ofEpochMilli(1_000), Set.of(), null, null, null, null)
                        .matches(d))
                .as("until is exclusive")
                .isFalse();
        assertThat(sel(null, Instant.ofEpochMilli(1_001), Set.of(), null, null, null, null)
                        .matches(d))
                .isTrue();
        assertThat(sel(null, null, Set.of("poison", "invalid-record"), null, null, null, null)
                        .matches(d))
                .isTrue();
        assertThat(sel(null, null, Set.of("poison"), null, null, null, null).matches(d))
                .isFalse();
        assertThat(sel(null, null, Set.of(), "mt-c300", null, null, null).matches(d))
                .isFalse();
        assertThat(sel(null, null, Set.of(), "mt-c400", 3, null, null).matches(d))
                .isTrue();
        assertThat(sel(null, null, Set.of(), null, 4, null, null).matches(d)).isFalse();
        assertThat(sel(null, null, Set.of(), null, null, 55L, 55L).matches(d))
                .as("offset bounds inclusive")
                .isTrue();
        assertThat(sel(null, null, Set.of(), null, null, 56L, null).matches(d)).isFalse();
        assertThat(sel(null, null, Set.of(), null, null, null, 54L).matches(d)).isFalse();
        DeadLetter noOffset = DeadLetter.of(new ConsumerRecord<>("sluice-dlq", 0, 1, new byte[0], new byte[0]));
        assertThat(sel(null, null, Set.of(), null, null, 0L, null).matches(noOffset))
                .isFalse();
        assertThat(sel(null, null, Set.of("x"), null, null, null, null).matches(noOffset))
                .isFalse();
    }

    private static RedriveSelection sel(
            Instant from, Instant until, Set<String> classes, String topic, Integer partition, Long min, Long max) {
        return new RedriveSelection("sluice-dlq", null, from, until, classes, topic, partition, min, max);
    }

    @Test
    void theIdIsStableForTheSameSelectionAndDiffersForAnother() {
        RedriveSelection a = new RedriveSelection("sluice-dlq", null, null, null, Set.of("b", "a"), "t", 1, 2L, 3L);
        RedriveSelection same = new RedriveSelection("sluice-dlq", null, null, null, Set.of("a", "b"), "t", 1, 2L, 3L);
        RedriveSelection other = new RedriveSelection("sluice-dlq", null, null, null, Set.of("a"), "t", 1, 2L, 3L);
        assertThat(a.id()).isEqualTo(same.id()).matches("sel-[0-9a-f]{12}");
        assertThat(a.id()).isNotEqualTo(other.id());
        assertThat(a.progressGroup()).isEqualTo("sluice-redrive-" + a.id());
        assertThat(a.toJson().encode())
                .isEqualTo(
                        "{\"dlqTopic\":\"sluice-dlq\",\"toTopic\":\"(source topic)\","
                                + "\"errorClasses\":[\"a\",\"b\"],\"sourceTopic\":\"t\",\"sourcePartition\":1,\"minOffset\":2,\"maxOffset\":3}");
    }

    @Test
    void tallyCountsByClassAndTargetAndDecidesEachFate() {
        RedriveTally t = new RedriveTally();
        RedriveSelection sel = new RedriveSelection(
                "sluice-dlq", null, null, null, Set.of("invalid-record", "poison"), null, null, null, null);
        assertThat(t.count(DeadLetter.of(dlq(0, 1, 1, "mt-c400", 0, 1, "invalid-record", null)), sel, 3))
                .isEqualTo(RedriveTally.Fate.REDRIVE);
        assertThat(t.count(DeadLetter.of(dlq(0, 2, 1, "mt-c300", 0, 1, "poison", "2")), sel, 3))
                .isEqualTo(RedriveTally.Fate.REDRIVE);
        assertThat(t.count(DeadLetter.of(dlq(0, 3, 1, "mt-c400", 0, 1, "poison", "3")), sel, 3))
                .isEqualTo(RedriveTally.Fate.PARK);
        assertThat(t.count(DeadLetter.of(dlq(0, 4, 1, null, 0, 1, "poison", null)), sel, 3))
                .isEqualTo(RedriveTally.Fate.UNROUTABLE);
        assertThat(t.count(DeadLetter.of(dlq(0, 5, 1, "mt-c400", 0, 1, "too-large", null)), sel, 3))
                .isEqualTo(RedriveTally.Fate.SKIPPED);
        assertThat(t.scanned).isEqualTo(5);
        assertThat(t.matched).isEqualTo(4);
        assertThat(t.byClass)
                .containsExactlyEntriesOf(
                        new java.util.TreeMap<>(java.util.Map.of("invalid-record", 1L, "poison", 3L)));
        assertThat(t.byTopic)
                .containsExactlyEntriesOf(new java.util.TreeMap<>(
                        java.util.Map.of("(parking)", 1L, "(unroutable)", 1L, "mt-c300", 1L, "mt-c400", 1L)));
        assertThat(t.text(true)).contains("selected 4", "  poison          3", "dry run: nothing written");
        RedriveSelection elsewhere =
                new RedriveSelection("sluice-dlq", "fixed-topic", null, null, Set.of(), null, null, null, null);
        assertThat(elsewhere.targetOf(DeadLetter.of(dlq(0, 4, 1, null, 0, 1, "poison", null))))
                .isEqualTo("fixed-topic");
    }

    @Test
    void aRedrivenRecordCarriesItsOwnHeadersTheRunAndTheNextAttemptButNoDlqHeaders() {
        ConsumerRecord<byte[], byte[]> r = dlq(1, 9, 1, "mt-c400", 2, 40, "invalid-record", "1");
        DeadLetter d = DeadLetter.of(r);
        ProducerRecord<byte[], byte[]> out = RedriveRecords.redrive(r, d, "mt-c400", "rd-new");
        assertThat(out.topic()).isEqualTo("mt-c400");
        assertThat(out.partition()).as("partitioned by key like any producer").isNull();
        assertThat(out.key()).isEqualTo(r.key());
        assertThat(out.value()).isEqualTo(r.value());
        assertThat(headerNames(out))
                .containsExactly(
                        "app",
                        RedriveAttempts.H_REDRIVE_ID,
                        RedriveAttempts.H_REDRIVE_ATTEMPT,
                        RedriveAttempts.H_REDRIVE_FROM);
        assertThat(text(out, RedriveAttempts.H_REDRIVE_ID)).isEqualTo("rd-new");
        assertThat(text(out, RedriveAttempts.H_REDRIVE_ATTEMPT)).isEqualTo("2");
        assertThat(text(out, RedriveAttempts.H_REDRIVE_FROM)).isEqualTo("sluice-dlq-1@9");

        ProducerRecord<byte[], byte[]> parked = RedriveRecords.park(r, d, "sluice-dlq-parking", 1);
        assertThat(parked.topic()).isEqualTo("sluice-dlq-parking");
        assertThat(text(parked, DeadLetterWriter.H_ERROR_CLASS)).isEqualTo("invalid-record");
        assertThat(text(parked, RedriveAttempts.H_PARKED))
                .isEqualTo("redrive attempt 1 reached redrive.maxAttempts 1; not redriven");
        assertThat(parked.headers().headers(RedriveAttempts.H_REDRIVE_FROM)).hasSize(1);
        assertThat(text(parked, RedriveAttempts.H_REDRIVE_FROM)).isEqualTo("sluice-dlq-1@9");
    }

    private static java.util.List<String> headerNames(ProducerRecord<byte[], byte[]> r) {
        java.util.List<String> out = new java.util.ArrayList<>();
        r.headers().forEach(h -> out.add(h.key()));
        return out;
    }

    private static String text(ProducerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
