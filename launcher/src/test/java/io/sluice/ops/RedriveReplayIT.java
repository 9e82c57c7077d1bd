package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.dispatch.DeadLetterWriter;
import io.sluice.dispatch.RedriveAttempts;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dlq redrive} and {@code replay} against a running local Sluice: the embedded Apache Kafka broker, the real
 * AWS SDK client to the local Lambda endpoint, the dispatcher function (routes by code; unknown codes answered as
 * {@code invalidRecords}, so Sluice dead-letters them), exact accounting of event ids at the sink.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RedriveReplayIT {
    private static final String DLQ = "sluice-dlq";
    private static final String AUDIT = "sluice-redrive-audit";
    private static final String PARKING = "sluice-dlq-parking";

    @TempDir
    static Path dir;

    private static OpsItSupport s;

    @BeforeAll
    static void start() throws Exception {
        s = OpsItSupport.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (s != null) {
            s.close();
        }
    }

    private static Set<String> ids(List<ConsumerRecord<byte[], byte[]>> rs, String prefix) {
        return rs.stream()
                .map(OpsItSupport::eventId)
                .filter(id -> id != null && id.startsWith(prefix))
                .collect(Collectors.toSet());
    }

    private static List<ConsumerRecord<byte[], byte[]>> withPrefix(
            List<ConsumerRecord<byte[], byte[]>> rs, String prefix) {
        return rs.stream()
                .filter(r -> {
                    String id = OpsItSupport.eventId(r);
                    return id != null && id.startsWith(prefix);
                })
                .toList();
    }

    @Test
    void rejectedRecordsRedrivenAfterTheFixArriveExactlyOnceAndASecondRunMovesNothing() throws Exception {
        s.functionAccepting(Set.of(400, 300)); // code 999 is not routed: the function rejects it
        Instant from = Instant.now().minusMillis(1);
        List<String> good = s.produce("mt-c400", "rd-ok", 400, 400, -1);
        List<String> bad = s.produce("mt-c400", "rd-bad", 100, 999, -1);
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> ids(s.readAll(DLQ), "rd-bad").size() == 100);
        s.awaitCommittedToEnd();
        assertThat(s.sink().missing(good)).isEmpty();
        List<ConsumerRecord<byte[], byte[]>> dead = withPrefix(s.readAll(DLQ), "rd-bad");
        assertThat(dead).hasSize(100).allSatisfy(r -> {
            assertThat(OpsItSupport.header(r, DeadLetterWriter.H_ERROR_CLASS)).isEqualTo("invalid-record");
            assertThat(OpsItSupport.header(r, DeadLetterWriter.H_SOURCE_TOPIC)).isEqualTo("mt-c400");
        });
        assertThat(bad.stream().filter(s.sink()::contains)).isEmpty();
        long sourceEnd = s.endSum("mt-c400");

        s.functionAccepting(Set.of(400, 300, 999)); // the fix
        s.sink().reset();
        String[] args = {
            "dlq",
            "redrive",
            "--config",
            s.opsConfig.toString(),
            "--error-class",
            "invalid-record",
            "--source-topic",
            "mt-c400",
            "--from",
            from.toString(),
            "--rate",
            "50"
        };
        OpsItSupport.Run dry = s.command(concat(args, "--dry-run"));
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out())
                .contains(
                        "selected " + dead.size(),
                        "invalid-record  " + dead.size(),
                        "mt-c400  " + dead.size(),
                        "dry run: nothing written");
        assertThat(s.endSum("mt-c400")).as("a dry run writes nothing").isEqualTo(sourceEnd);

        long t0 = System.nanoTime();
        OpsItSupport.Run run = s.command(args);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("redriven " + dead.size() + ", parked 0, unroutable 0", "result ok");
        // 100 records at 50/s: the bucket starts with one second (50), the other 50 wait ~1 s
        assertThat(tookMs).isGreaterThanOrEqualTo(900);
        assertThat(s.endSum("mt-c400")).isEqualTo(sourceEnd + dead.size());

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> s.sink().missing(bad).isEmpty());
        s.awaitCommittedToEnd();
        assertThat(s.sink().uniqueCount()).as("exactly the redriven ids").isEqualTo(bad.size());
        assertThat(s.sink().totalReceived()).as("each once").isEqualTo(bad.size());
        assertThat(ids(s.readAll(DLQ), "rd-bad")).hasSize(100); // nothing dead-lettered again
        assertThat(s.readAll(DLQ).stream()
                        .filter(r -> "rd-bad".equals(prefix(r)))
                        .count())
                .isEqualTo(100);

        List<ConsumerRecord<byte[], byte[]>> redriven = withPrefix(s.readAll("mt-c400"), "rd-bad").stream()
                .filter(r -> OpsItSupport.header(r, RedriveAttempts.H_REDRIVE_ID) != null)
                .toList();
        assertThat(redriven).hasSize(100).allSatisfy(r -> {
            assertThat(OpsItSupport.header(r, RedriveAttempts.H_REDRIVE_ATTEMPT))
                    .isEqualTo("1");
            assertThat(OpsItSupport.header(r, RedriveAttempts.H_REDRIVE_FROM)).startsWith(DLQ + "-");
            assertThat(r.headers().lastHeader(DeadLetterWriter.H_ERROR_CLASS)).isNull();
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).startsWith("999:T-");
        });

        List<ConsumerRecord<byte[], byte[]>> audit = s.readAll(AUDIT);
        JsonObject a = new JsonObject(new String(audit.get(audit.size() - 1).value(), StandardCharsets.UTF_8));
        assertThat(a.getString("result")).isEqualTo("ok");
        assertThat(a.getJsonObject("counts").getLong("redriven")).isEqualTo(100L);
        assertThat(a.getJsonObject("counts").getJsonObject("byErrorClass").getLong("invalid-record"))
                .isEqualTo(100L);
        assertThat(a.getJsonObject("selection").getJsonArray("errorClasses").getList())
                .containsExactly("invalid-record");
        assertThat(a.getString("startedAt")).isNotBlank();
        String selection = a.getString("selectionId");
        assertThat(new String(audit.get(audit.size() - 1).key(), StandardCharsets.UTF_8))
                .isEqualTo(selection);

        OpsItSupport.Run again = s.command(args);
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("selected 0", "redriven 0, parked 0");
        assertThat(s.endSum("mt-c400")).as("the second run produced nothing").isEqualTo(sourceEnd + dead.size());
        List<ConsumerRecord<byte[], byte[]>> audit2 = s.readAll(AUDIT);
        assertThat(audit2).hasSize(audit.size() + 1);
        JsonObject a2 = new JsonObject(new String(audit2.get(audit2.size() - 1).value(), StandardCharsets.UTF_8));
        assertThat(a2.getString("selectionId")).isEqualTo(selection);
        assertThat(a2.getJsonObject("counts").getLong("redriven")).isZero();
        assertThat(a2.getJsonObject("counts").getLong("alreadyExamined")).isGreaterThanOrEqualTo(100L);
        s.awaitCommittedToEnd();
        assertThat(s.sink().totalReceived()).isEqualTo(bad.size());
        System.out.println("[RedriveReplayIT] dry run:\n" + dry.err() + dry.out() + "\n[RedriveReplayIT] run (" + tookMs
                + " ms):\n" + run.err() + run.out() + "\n[RedriveReplayIT] second run:\n" + again.out());
    }

    @Test
    void recordsFailingAgainReturnToTheDlqWithTheAttemptThenGoToParking() throws Exception {
        s.functionAccepting(Set.of(400, 300)); // 998 stays rejected
        Instant from = Instant.now().minusMillis(1);
        List<String> ids = s.produce("mt-c400", "park", 20, 998, -1);
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> ids(s.readAll(DLQ), "park").size() == 20);
        s.awaitCommittedToEnd();
        String[] args = {
            "dlq",
            "redrive",
            "--config",
            s.opsConfig.toString(),
            "--from",
            from.toString(),
            "--error-class",
            "invalid-record"
        };

        OpsItSupport.Run first = s.command(args);
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("redriven 20, parked 0");
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> withPrefix(s.readAll(DLQ), "park").stream()
                                .filter(r -> "1".equals(OpsItSupport.header(r, RedriveAttempts.H_REDRIVE_ATTEMPT)))
                                .count()
                        == 20);

        OpsItSupport.Run second = s.command(args); // the same selection: only the records dead-lettered again
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).contains("selected 20", "redriven 20, parked 0");
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> ids(s.readAll(PARKING), "park").size() == 20);
        s.awaitCommittedToEnd();
        List<ConsumerRecord<byte[], byte[]>> parked = withPrefix(s.readAll(PARKING), "park");
        assertThat(parked).hasSize(20).allSatisfy(r -> {
            assertThat(OpsItSupport.header(r, RedriveAttempts.H_REDRIVE_ATTEMPT))
                    .isEqualTo("2");
            assertThat(OpsItSupport.header(r, RedriveAttempts.H_PARKED))
                    .isEqualTo("failed again after redrive attempt 2 of 2");
            assertThat(OpsItSupport.header(r, DeadLetterWriter.H_ERROR_CLASS)).isEqualTo("invalid-record");
        });
        assertThat(ids(parked, "park")).isEqualTo(new HashSet<>(ids));
        // in the DLQ: the first failure and the failure after redrive 1, each once; nothing after redrive 2
        List<ConsumerRecord<byte[], byte[]>> dlq = withPrefix(s.readAll(DLQ), "park");
        assertThat(dlq).hasSize(40);
        assertThat(dlq.stream().filter(r -> OpsItSupport.header(r, RedriveAttempts.H_REDRIVE_ATTEMPT) == null))
                .hasSize(20);
        assertThat(ids.stream().filter(s.sink()::contains)).isEmpty();

        OpsItSupport.Run third = s.command(args);
        assertThat(third.exit()).as(third.err()).isZero();
        assertThat(third.out()).contains("selected 0", "redriven 0, parked 0");
    }

    @Test
    void replayFromATimestampDeliversAgainExactlyTheRecordsAtOrAfterIt() throws Exception {
        s.functionAccepting(Set.of(400, 300));
        // later than every record the other tests wrote (they are ~now): only mt-c300's new records are at or after t
        long t = System.currentTimeMillis() + 600_000;
        List<String> before =
                s.produce("mt-c300", "rp-old", 200, 300, t - 60_000); // CreateTime t-60 s + i ms: before t
        List<String> after = s.produce("mt-c300", "rp-new", 150, 300, t); // t + i ms: at or after t
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> s.sink().missing(after).isEmpty()
                        && s.sink().missing(before).isEmpty());
        s.awaitCommittedToEnd();
        Map<TopicPartition, Long> committedBefore = s.committed(OpsItSupport.GROUP);

        String[] args = {
            "replay",
            "--admin",
            s.admin(),
            "--pipeline",
            "standard",
            "--to",
            "timestamp",
            "--timestamp",
            Instant.ofEpochMilli(t).toString()
        };
        OpsItSupport.Run dry = s.command(concat(args, "--dry-run"));
        assertThat(dry.exit()).as(dry.err()).isZero();
        long expected = after.size();
        assertThat(dry.out())
                .contains("(dry run: nothing moved)", expected + " record(s) would be delivered again, 0 skipped");
        assertThat(dry.out().lines().filter(l -> l.startsWith("mt-c300 "))).hasSize(4);
        assertThat(s.committed(OpsItSupport.GROUP))
                .as("a dry run moves nothing")
                .isEqualTo(committedBefore);

        s.sink().reset();
        OpsItSupport.Run run = s.command(args);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains(expected + " record(s) will be delivered again, 0 skipped");
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> s.sink().missing(after).isEmpty());
        s.awaitCommittedToEnd();
        assertThat(s.sink().missing(after)).isEmpty();
        assertThat(before.stream().filter(s.sink()::contains))
                .as("nothing before t")
                .isEmpty();
        assertThat(s.sink().uniqueCount())
                .as("exactly the records at or after t")
                .isEqualTo(expected);
        assertThat(s.sink().totalReceived()).as("each once").isEqualTo(expected);
        System.out.println(
                "[RedriveReplayIT] replay dry run:\n" + dry.out() + "\n[RedriveReplayIT] replay:\n" + run.out());
    }

    private static String prefix(ConsumerRecord<byte[], byte[]> r) {
        String id = OpsItSupport.eventId(r);
        return id == null ? null : id.substring(0, id.lastIndexOf('-'));
    }

    private static String[] concat(String[] a, String... more) {
        String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
