package io.sluice.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.kafka.AsyncProducer;
import io.sluice.record.InRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The DLQ writer while the DLQ topic is unavailable: it keeps retrying with capped backoff (a record never
 * becomes final before it is in the DLQ), logs a bounded summary instead of a line per record per attempt, and
 * writes every record exactly once when the topic comes back.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DeadLetterWriterTest {
    private static final String DLQ = "t-dlq";

    /** A MockProducer whose sends fail (through the callback, as KafkaProducer reports a metadata timeout) while {@link #failing}. */
    static final class FlakyProducer extends MockProducer<byte[], byte[]> {
        volatile boolean failing = true;
        final AtomicInteger failures = new AtomicInteger();

        FlakyProducer() {
            super(true, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized java.util.concurrent.Future<RecordMetadata> send(
                ProducerRecord<byte[], byte[]> r, Callback cb) {
            if (failing) {
                failures.incrementAndGet();
                TimeoutException e =
                        new TimeoutException("Topic " + r.topic() + " not present in metadata after 60000 ms.");
                if (cb != null) {
                    cb.onCompletion(null, e);
                }
                return CompletableFuture.failedFuture(e);
            }
            return super.send(r, cb);
        }
    }

    private Vertx vertx;
    private FlakyProducer mock;
    private AsyncProducer producer;
    private Logger logger;
    private ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        mock = new FlakyProducer();
        producer = new AsyncProducer(mock, "dlq-test");
        logger = (Logger) LoggerFactory.getLogger(DeadLetterWriter.class);
        logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(logs);
        producer.close(Duration.ofSeconds(1));
    }

    private List<ILoggingEvent> events(Level level) {
        synchronized (logs) { // AppenderBase.doAppend holds the appender's lock while it adds
            return logs.list.stream().filter(e -> e.getLevel() == level).toList();
        }
    }

    private static List<InRecord> records(long first, int n) {
        List<InRecord> rs = new ArrayList<>();
        for (long o = first; o < first + n; o++) {
            rs.add(new InRecord(
                    "t",
                    0,
                    o,
                    1_000,
                    "CreateTime",
                    ("k" + o).getBytes(StandardCharsets.UTF_8),
                    ("{\"n\":" + o + "}").getBytes(StandardCharsets.UTF_8),
                    List.of(),
                    1,
                    0));
        }
        return rs;
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Future<Void> writeOn(Context ctx, DeadLetterWriter w, List<InRecord> rs) {
        Promise<Void> p = Promise.promise();
        ctx.runOnContext(v -> w.write(ctx, rs, new DeadLetterWriter.Failure("function-error", "boom", 3, 1, 2))
                .onComplete(p));
        return p.future();
    }

    /** Defect 9: one WARN per record per attempt while the DLQ is down, and no way for readiness to see it. */
    @Test
    void outageIsRetriedWithBoundedLoggingThenEveryRecordIsWrittenOnce() throws Exception {
        DeadLetterWriter w = new DeadLetterWriter(vertx, producer, DLQ, new Backoff(1, 5, new Random(7)));
        assertThat(w.health()).isEqualTo(new DeadLetterWriter.Health(true, 0, -1, null));
        Context ctx = vertx.getOrCreateContext();
        long t0 = System.currentTimeMillis();
        Future<Void> done = writeOn(ctx, w, records(10, 5));

        await().atMost(Duration.ofSeconds(10)).until(() -> mock.failures.get() >= 200);
        assertThat(done.isComplete())
                .as("no record is final before it is in the DLQ")
                .isFalse();
        assertThat(mock.history()).isEmpty();
        // retried ~40 times per record, yet the log says it once (the next summary is due after 30 s)
        assertThat(events(Level.WARN)).hasSize(1);
        assertThat(events(Level.WARN).get(0).getFormattedMessage())
                .startsWith("DLQ topic t-dlq unavailable: the write of t-0@1")
                .contains("not present in metadata", "up to 5 ms");
        DeadLetterWriter.Health down = w.health();
        assertThat(down.available()).isFalse();
        assertThat(down.waitingRecords()).isEqualTo(5);
        assertThat(down.unavailableSinceMs()).isBetween(t0, System.currentTimeMillis());
        assertThat(down.lastError()).contains("TimeoutException", "not present in metadata");

        mock.failing = false;
        done.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        List<Long> written = mock.history().stream()
                .map(r -> Long.parseLong(header(r, DeadLetterWriter.H_SOURCE_OFFSET)))
                .toList();
        assertThat(written).containsExactlyInAnyOrder(10L, 11L, 12L, 13L, 14L);
        assertThat(mock.history()).allSatisfy(r -> {
            assertThat(r.topic()).isEqualTo(DLQ);
            assertThat(header(r, DeadLetterWriter.H_ERROR_CLASS)).isEqualTo("function-error");
            assertThat(header(r, DeadLetterWriter.H_ATTEMPTS)).isEqualTo("3");
        });
        assertThat(events(Level.WARN)).hasSize(1);
        assertThat(events(Level.INFO))
                .singleElement()
                .extracting(ILoggingEvent::getFormattedMessage)
                .asString()
                .contains("DLQ topic t-dlq available again", "5 record(s) written after retries");
        assertThat(w.health()).isEqualTo(new DeadLetterWriter.Health(true, 0, -1, null));
    }

    @Test
    void aLongOutageGetsOneSummaryPerInterval() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000);
        DeadLetterWriter w =
                new DeadLetterWriter(vertx, producer, DLQ, new Backoff(1, 5, new Random(7)), 10_000, clock::get);
        Context ctx = vertx.getOrCreateContext();
        Future<Void> done = writeOn(ctx, w, records(0, 3));
        await().atMost(Duration.ofSeconds(10)).until(() -> mock.failures.get() >= 60);
        assertThat(events(Level.WARN)).hasSize(1);

        clock.addAndGet(9_999); // not due yet
        int seen = mock.failures.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> mock.failures.get() >= seen + 60);
        assertThat(events(Level.WARN)).hasSize(1);

        clock.addAndGet(1); // due: exactly one summary, however many failures follow
        int seen2 = mock.failures.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> mock.failures.get() >= seen2 + 60);
        assertThat(events(Level.WARN)).hasSize(2);
        assertThat(events(Level.WARN).get(1).getFormattedMessage())
                .isEqualTo(
                        "DLQ topic t-dlq unavailable for 10 s: 3 record(s) waiting, last error "
                                + "org.apache.kafka.common.errors.TimeoutException: Topic t-dlq not present in metadata after 60000 ms.");
        assertThat(w.health().unavailableSinceMs()).isEqualTo(1_000_000);
        assertThat(w.health().waitingRecords()).isEqualTo(3);

        mock.failing = false;
        done.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(mock.history()).hasSize(3);
        assertThat(events(Level.INFO))
                .singleElement()
                .extracting(ILoggingEvent::getFormattedMessage)
                .asString()
                .isEqualTo("DLQ topic t-dlq available again after 10 s: 3 record(s) written after retries");
        assertThat(w.health().available()).isTrue();
    }

    @Test
    void writesThatSucceedAtOnceLogNothingAndCompleteOnTheCallersContext() throws Exception {
        mock.failing = false;
        DeadLetterWriter w = new DeadLetterWriter(vertx, producer, DLQ, new Backoff(1, 5, new Random(7)));
        Context ctx = vertx.getOrCreateContext();
        Promise<Context> on = Promise.promise();
        ctx.runOnContext(v -> w.write(ctx, records(0, 4), new DeadLetterWriter.Failure("poison", null, 0, 5, 6))
                .onComplete(ar -> on.complete(Vertx.currentContext())));
        Context completedOn =
                on.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(completedOn.deploymentID()).isEqualTo(ctx.deploymentID());
        assertThat(Thread.currentThread().getName()).doesNotStartWith("vert.x");
        assertThat(mock.history()).hasSize(4);
        assertThat(header(mock.history().get(0), DeadLetterWriter.H_ERROR_MESSAGE))
                .isEmpty();
        assertThat(events(Level.WARN)).isEmpty();
        assertThat(events(Level.INFO)).isEmpty();
        assertThat(w.health().available()).isTrue();
    }

    /** A closed producer never comes back: waiting writes fail (their records stay not final) instead of retrying forever. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void writesWaitingWhenTheProducerClosesFail() throws Exception {
        DeadLetterWriter w = new DeadLetterWriter(vertx, producer, DLQ, new Backoff(1, 5, new Random(7)));
        Context ctx = vertx.getOrCreateContext();
        Future<Void> done = writeOn(ctx, w, records(0, 2));
        await().atMost(Duration.ofSeconds(5)).until(() -> mock.failures.get() >= 20);
        producer.close(Duration.ofSeconds(1));
        try {
            done.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            throw new AssertionError("expected the write to fail once the producer is closed");
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).hasMessageContaining("DLQ producer closed");
        }
        assertThat(mock.history()).isEmpty();
        // the first failed record fails the write; the other ends its own retry loop on its next attempt
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(w.health()).isEqualTo(new DeadLetterWriter.Health(true, 0, -1, null)));
    }

    private static InRecord redriven(long offset, List<InRecord.Header> headers) {
        return new InRecord(
                "t",
                0,
                offset,
                1_000,
                "CreateTime",
                ("k" + offset).getBytes(StandardCharsets.UTF_8),
                ("{\"n\":" + offset + "}").getBytes(StandardCharsets.UTF_8),
                headers,
                1,
                0);
    }

    private static InRecord.Header h(String name, String value) {
        return new InRecord.Header(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A redriven record that fails again: back to the DLQ with its redrive id and attempt (one header each, not
     * doubled), the headers of its earlier DLQ trip replaced by this failure's; at the last attempt to the parking topic.
     */
    @Test
    void aRedrivenRecordFailingAgainKeepsItsRedriveHeadersAndIsParkedAtTheLastAttempt() throws Exception {
        mock.failing = false;
        DeadLetterWriter w = new DeadLetterWriter(
                vertx, producer, DLQ, new Backoff(1, 5, new Random(7)), new RedriveSettings(2, null, "audit"));
        Context ctx = vertx.getOrCreateContext();
        List<InRecord.Header> first = List.of(
                h("app", "x"),
                h(RedriveAttempts.H_REDRIVE_ID, "rd-1"),
                h(RedriveAttempts.H_REDRIVE_ATTEMPT, "1"),
                h(DeadLetterWriter.H_ERROR_CLASS, "stale"));
        List<InRecord.Header> second = List.of(
                h("app", "x"), h(RedriveAttempts.H_REDRIVE_ID, "rd-2"), h(RedriveAttempts.H_REDRIVE_ATTEMPT, "2"));
        writeOn(ctx, w, List.of(redriven(5, first), redriven(6, second), redriven(7, List.of())))
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        assertThat(mock.history()).hasSize(3);
        ProducerRecord<byte[], byte[]> again = mock.history().stream()
                .filter(r -> "5".equals(header(r, DeadLetterWriter.H_SOURCE_OFFSET)))
                .findFirst()
                .orElseThrow();
        assertThat(again.topic()).isEqualTo(DLQ);
        assertThat(header(again, RedriveAttempts.H_REDRIVE_ID)).isEqualTo("rd-1");
        assertThat(header(again, RedriveAttempts.H_REDRIVE_ATTEMPT)).isEqualTo("1");
        assertThat(header(again, "app")).isEqualTo("x");
        assertThat(again.headers().headers(DeadLetterWriter.H_ERROR_CLASS)).hasSize(1);
        assertThat(header(again, DeadLetterWriter.H_ERROR_CLASS)).isEqualTo("function-error");
        assertThat(again.headers().headers(RedriveAttempts.H_REDRIVE_ATTEMPT)).hasSize(1);

        ProducerRecord<byte[], byte[]> parked = mock.history().stream()
                .filter(r -> "6".equals(header(r, DeadLetterWriter.H_SOURCE_OFFSET)))
                .findFirst()
                .orElseThrow();
        assertThat(parked.topic()).isEqualTo(DLQ + "-parking");
        assertThat(header(parked, RedriveAttempts.H_PARKED)).isEqualTo("failed again after redrive attempt 2 of 2");
        assertThat(header(parked, RedriveAttempts.H_REDRIVE_ATTEMPT)).isEqualTo("2");

        ProducerRecord<byte[], byte[]> plain = mock.history().stream()
                .filter(r -> "7".equals(header(r, DeadLetterWriter.H_SOURCE_OFFSET)))
                .findFirst()
                .orElseThrow();
        assertThat(plain.topic()).isEqualTo(DLQ);
        assertThat(header(plain, RedriveAttempts.H_REDRIVE_ATTEMPT)).isNull();
    }
}
