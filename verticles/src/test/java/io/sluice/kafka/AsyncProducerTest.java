package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The async producer over a {@link MockProducer}: call order is send order, each completion runs exactly once
 * on the caller's context, a send that throws completes only its own record, and a closed producer answers.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AsyncProducerTest {
    /** Throws synchronously from {@code send} for records whose key is "bad" (as KafkaProducer does for a serializer error). */
    static final class PickyProducer extends MockProducer<byte[], byte[]> {
        PickyProducer(boolean autoComplete) {
            super(autoComplete, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized java.util.concurrent.Future<RecordMetadata> send(
                ProducerRecord<byte[], byte[]> r, Callback cb) {
            if ("bad".equals(new String(r.key(), StandardCharsets.UTF_8))) {
                throw new RecordTooLargeException("too large: bad");
            }
            return super.send(r, cb);
        }
    }

    /** One completion as seen: which record, on which context, with what. */
    record Done(String key, Context context, RecordMetadata metadata, Throwable error) {}

    private Vertx vertx;
    private PickyProducer mock;
    private AsyncProducer producer;
    private final List<Done> done = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
    }

    private void start(boolean autoComplete) {
        mock = new PickyProducer(autoComplete);
        producer = new AsyncProducer(mock, "async-producer-test");
    }

    @AfterEach
    void tearDown() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(1));
        }
    }

    private static ProducerRecord<byte[], byte[]> rec(String key) {
        return new ProducerRecord<>(
                "t", 0, key.getBytes(StandardCharsets.UTF_8), ("v-" + key).getBytes(StandardCharsets.UTF_8));
    }

    private AsyncProducer.Completion track(String key) {
        return (md, err) -> done.add(new Done(key, Vertx.currentContext(), md, err));
    }

    private List<String> historyKeys() {
        return mock.history().stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                .toList();
    }

    private static void on(Context ctx, Runnable r) throws Exception {
        Promise<Void> p = Promise.promise();
        ctx.runOnContext(v -> {
            r.run();
            p.complete();
        });
        p.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void sendAndSendAllKeepCallOrderAndCompleteOnceOnTheCallersContext() throws Exception {
        start(true);
        Context ctx = vertx.getOrCreateContext();
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        on(ctx, () -> {
            futures.add(producer.send(ctx, rec("a")));
            producer.sendAll(ctx, List.of(rec("b"), rec("c"), rec("d")), List.of(track("b"), track("c"), track("d")));
            producer.send(ctx, rec("e"), track("e"));
        });
        await().atMost(Duration.ofSeconds(5))
                .until(() -> done.size() == 4 && futures.get(0).isComplete());
        assertThat(historyKeys()).containsExactly("a", "b", "c", "d", "e");
        assertThat(futures.get(0).succeeded()).isTrue();
        assertThat(done).extracting(Done::key).containsExactly("b", "c", "d", "e");
        assertThat(done).allSatisfy(d -> {
            assertThat(d.error()).isNull();
            assertThat(d.metadata().topic()).isEqualTo("t");
            assertThat(d.context()).isSameAs(ctx);
        });
        // exactly once: nothing more arrives
        producer.flush(ctx).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(done).hasSize(4);
    }

    @Test
    void theRecordsOfOneHandOffShareOneAckTimeReadAfterTheirSend() throws Exception {
        start(false);
        Context ctx = vertx.getOrCreateContext();
        List<Long> ackTimes = new CopyOnWriteArrayList<>();
        AsyncProducer.Completion timed = new AsyncProducer.Completion() {
            @Override
            public void complete(RecordMetadata md, Throwable err) {
                throw new AssertionError("the timed variant is the one called");
            }

            @Override
            public void complete(RecordMetadata md, Throwable err, long ackedAtNanos) {
                ackTimes.add(ackedAtNanos);
            }
        };
        long beforeSend = System.nanoTime();
        on(ctx, () -> producer.sendAll(ctx, List.of(rec("a"), rec("b"), rec("c")), List.of(timed, timed, timed)));
        await().atMost(Duration.ofSeconds(5)).until(() -> mock.history().size() == 3);
        long beforeAck = System.nanoTime();
        while (mock.completeNext()) {
            // Kafka acknowledges the three; the last one hands the group back
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> ackTimes.size() == 3);
        assertThat(ackTimes).containsOnly(ackTimes.get(0));
        assertThat(ackTimes.get(0)).isGreaterThanOrEqualTo(beforeAck).isGreaterThan(beforeSend);
    }

    @Test
    void manySendsFromTwoContextsEachCompleteExactlyOnceOnTheirOwnContext() throws Exception {
        start(true);
        Context c1 = vertx.getOrCreateContext();
        Context c2 = vertx.getOrCreateContext();
        ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        AtomicInteger wrongContext = new AtomicInteger();
        int n = 2_000;
        for (Context c : List.of(c1, c2)) {
            String prefix = c == c1 ? "x" : "y";
            c.runOnContext(v -> {
                for (int i = 0; i < n; i++) {
                    String key = prefix + i;
                    producer.send(c, rec(key), (md, err) -> {
                        counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                        if (Vertx.currentContext() != c || err != null) {
                            wrongContext.incrementAndGet();
                        }
                    });
                }
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> counts.size() == 2 * n);
        producer.flush(c1).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(counts.values()).allSatisfy(a -> assertThat(a.get()).isEqualTo(1));
        assertThat(wrongContext.get()).isZero();
        List<String> keys = historyKeys();
        assertThat(keys.stream().filter(k -> k.startsWith("x")).toList())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, n)
                        .mapToObj(i -> "x" + i)
                        .toList());
        assertThat(keys.stream().filter(k -> k.startsWith("y")).toList())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, n)
                        .mapToObj(i -> "y" + i)
                        .toList());
    }

    @Test
    void aSendThatThrowsCompletesOnlyItsRecordWithTheError() throws Exception {
        start(true);
        Context ctx = vertx.getOrCreateContext();
        on(
                ctx,
                () -> producer.sendAll(
                        ctx,
                        List.of(rec("ok1"), rec("bad"), rec("ok2")),
                        List.of(track("ok1"), track("bad"), track("ok2"))));
        await().atMost(Duration.ofSeconds(5)).until(() -> done.size() == 3);
        assertThat(done).extracting(Done::key).containsExactly("ok1", "bad", "ok2");
        assertThat(done.get(0).metadata()).isNotNull();
        assertThat(done.get(0).error()).isNull();
        assertThat(done.get(1).metadata()).isNull();
        assertThat(done.get(1).error())
                .isInstanceOf(RecordTooLargeException.class)
                .hasMessage("too large: bad");
        assertThat(done.get(2).metadata()).isNotNull();
        assertThat(done.get(2).error()).isNull();
        assertThat(done).allSatisfy(d -> assertThat(d.context()).isSameAs(ctx));
        assertThat(historyKeys()).containsExactly("ok1", "ok2");
    }

    @Test
    void anAsynchronousErrorReachesItsRecordOnly() throws Exception {
        start(false);
        Context ctx = vertx.getOrCreateContext();
        on(ctx, () -> producer.sendAll(ctx, List.of(rec("a"), rec("b")), List.of(track("a"), track("b"))));
        await().atMost(Duration.ofSeconds(5)).until(() -> mock.history().size() == 2);
        assertThat(mock.completeNext()).isTrue();
        assertThat(mock.errorNext(new org.apache.kafka.common.errors.TimeoutException("expired")))
                .isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> done.size() == 2);
        assertThat(done.get(0).error()).isNull();
        assertThat(done.get(1).error()).hasMessage("expired");
    }

    @Test
    void aCompletionThatThrowsDoesNotStrandTheOthers() throws Exception {
        start(true);
        Context ctx = vertx.getOrCreateContext();
        on(
                ctx,
                () -> producer.sendAll(
                        ctx,
                        List.of(rec("a"), rec("b")),
                        List.of(
                                (md, err) -> {
                                    throw new IllegalStateException("completion bug");
                                },
                                track("b"))));
        await().atMost(Duration.ofSeconds(5)).until(() -> done.size() == 1);
        assertThat(done.get(0).key()).isEqualTo("b");
        assertThat(done.get(0).error()).isNull();
    }

    @Test
    void flushSendsWhatIsQueuedAndCompletesAfterTheirAcknowledgements() throws Exception {
        start(false);
        Context ctx = vertx.getOrCreateContext();
        Promise<Integer> atFlush = Promise.promise();
        on(ctx, () -> {
            producer.sendAll(ctx, List.of(rec("a"), rec("b"), rec("c")), List.of(track("a"), track("b"), track("c")));
            producer.flush(ctx).onComplete(ar -> atFlush.complete(ar.succeeded() ? done.size() : -1));
        });
        // MockProducer.flush completes every pending send
        assertThat(atFlush.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isEqualTo(3);
        assertThat(done).extracting(Done::key).containsExactly("a", "b", "c");
        assertThat(done).allSatisfy(d -> assertThat(d.error()).isNull());
        assertThat(mock.flushed()).isTrue();
    }

    @Test
    void sendsAfterCloseAreAnsweredProducerClosed() throws Exception {
        start(true);
        Context ctx = vertx.getOrCreateContext();
        producer.close(Duration.ofSeconds(1));
        assertThat(mock.closed()).isTrue();
        AtomicReference<Future<RecordMetadata>> late = new AtomicReference<>();
        on(ctx, () -> {
            late.set(producer.send(ctx, rec("late")));
            producer.sendAll(ctx, List.of(rec("late2"), rec("late3")), List.of(track("late2"), track("late3")));
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> late.get().isComplete() && done.size() == 2);
        assertThat(late.get().failed()).isTrue();
        assertThat(late.get().cause()).isInstanceOf(IllegalStateException.class).hasMessage("producer closed");
        assertThat(done).allSatisfy(d -> {
            assertThat(d.error()).hasMessage("producer closed");
            assertThat(d.context()).isSameAs(ctx);
        });
        assertThat(mock.history()).isEmpty();
        // flush after close does not hang
        producer.flush(ctx).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
