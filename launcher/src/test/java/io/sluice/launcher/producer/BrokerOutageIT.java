package io.sluice.launcher.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.bus.Addresses;
import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.launcher.Sluice;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * (b) The broker is stopped for at least 10 s during a steady produce through {@code sluice.produce}, then
 * restarted: every event answered "accepted" is readable afterwards, every other caller got a failure
 * answer from the producer (none is left without an answer: no event-bus timeout), and with acks=all and
 * idempotence no event is in the log twice.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrokerOutageIT {
    private static final int RATE_PER_TICK = 10; // every 10 ms → 1,000 events/s
    private static Vertx vertx;
    private static Sluice sluice;

    @BeforeAll
    static void start() throws Exception {
        JsonObject conf = ProducerItSupport.producerOnlyConfig();
        conf.getJsonObject("ingest").put("enabled", false);
        // short delivery bound, so callers get 'unavailable' while the broker is down (request ≤ delivery)
        conf.getJsonObject("producer")
                .getJsonObject("kafka")
                .put("delivery.timeout.ms", "8000")
                .put("request.timeout.ms", "3000")
                .put("max.block.ms", "5000");
        vertx = Vertx.vertx();
        sluice = ProducerItSupport.startSluice(vertx, conf);
    }

    @AfterAll
    static void stop() throws Exception {
        ProducerItSupport.stop(sluice, vertx);
    }

    @Test
    void everyAcceptedEventSurvivesABrokerOutageAndEveryOtherCallerGetsAFailure() throws Exception {
        String p = "outage-" + System.nanoTime() + "-";
        Map<String, String> answers = new ConcurrentHashMap<>();
        AtomicLong sent = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicInteger outstanding = new AtomicInteger();
        DeliveryOptions opts = new DeliveryOptions().setSendTimeout(60_000); // far above the producer's own bound
        int[] codes = {300, 400, 401, 410};
        Context ctx = vertx.getOrCreateContext();
        long[] timer = new long[1];
        ctx.runOnContext(v -> timer[0] = vertx.setPeriodic(10, id -> {
            for (int i = 0; i < RATE_PER_TICK && outstanding.get() < 20_000; i++) {
                long n = sent.getAndIncrement();
                String eventId = p + n;
                JsonObject e = new JsonObject()
                        .put("eventId", eventId)
                        .put("code", codes[(int) (n % codes.length)])
                        .put("truckId", "T-" + (n % 50))
                        .put("timestamp", System.currentTimeMillis())
                        .put("seq", n);
                outstanding.incrementAndGet();
                vertx.eventBus().request(Addresses.PRODUCE, e, opts).onComplete(ar -> {
                    outstanding.decrementAndGet();
                    if (ar.succeeded()) {
                        accepted.incrementAndGet();
                        answers.put(eventId, "accepted");
                    } else {
                        failed.incrementAndGet();
                        answers.put(
                                eventId,
                                ar.cause() instanceof ReplyException re
                                        ? re.failureType() + ":" + re.getMessage()
                                        : "other:" + ar.cause());
                    }
                });
            }
        }));

        EmbeddedKafkaCluster cluster = sluice.cluster();
        int node = cluster.nodeIds().get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> accepted.get() >= 5_000);

        long stoppedAt = System.nanoTime();
        cluster.stopNode(node, false);
        long failedBefore = failed.get();
        // down for at least 10 s, and long enough that the producer gave up on some events
        await().atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(200))
                .until(() ->
                        System.nanoTime() - stoppedAt >= TimeUnit.SECONDS.toNanos(10) && failed.get() > failedBefore);
        long acceptedWhileDown = accepted.get();
        cluster.restartNode(node);

        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.get() >= acceptedWhileDown + 3_000);
        java.util.concurrent.CompletableFuture<Void> cancelled = new java.util.concurrent.CompletableFuture<>();
        ctx.runOnContext(v -> {
            vertx.cancelTimer(timer[0]);
            cancelled.complete(null);
        });
        cancelled.get(10, TimeUnit.SECONDS);
        long total = sent.get();
        await().atMost(Duration.ofSeconds(60)).until(() -> outstanding.get() == 0 && answers.size() == total);

        Set<String> acceptedIds = answers.entrySet().stream()
                .filter(e -> e.getValue().equals("accepted"))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        Map<String, Long> failureKinds = answers.values().stream()
                .filter(v -> !v.equals("accepted"))
                .collect(Collectors.groupingBy(v -> v.substring(0, Math.min(v.length(), 40)), Collectors.counting()));
        System.out.printf(
                "outage: sent=%d accepted=%d failed=%d kinds=%s%n", total, accepted.get(), failed.get(), failureKinds);

        assertThat(answers).as("every caller got an answer").hasSize((int) total);
        assertThat(failed.get())
                .as("callers got failures while the broker was down")
                .isPositive();
        assertThat(answers.values().stream().filter(v -> !v.equals("accepted")))
                .as("every failure is the producer's own answer (no event-bus timeout, no missing handler)")
                .allMatch(v -> v.startsWith("RECIPIENT_FAILURE:unavailable:")
                        || v.startsWith("RECIPIENT_FAILURE:overloaded:"));

        List<ProducerItSupport.Read> log = ProducerItSupport.readAll(
                sluice.config().kafka().bootstrapServers(), ProducerItSupport.EVENT_TOPICS, p, Duration.ofSeconds(90));
        Map<String, Long> counts =
                log.stream().collect(Collectors.groupingBy(ProducerItSupport.Read::eventId, Collectors.counting()));
        Set<String> missing = new HashSet<>(acceptedIds);
        missing.removeAll(counts.keySet());
        assertThat(missing).as("accepted events missing from the log").isEmpty();
        assertThat(counts.entrySet().stream()
                        .filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .toList())
                .as("events written twice")
                .isEmpty();
        long failedButWritten =
                counts.keySet().stream().filter(id -> !acceptedIds.contains(id)).count();
        System.out.printf(
                "outage: %d event(s) answered 'unavailable' were nevertheless written (Kafka cannot tell "
                        + "the producer; clients retry, at-least-once)%n",
                failedButWritten);
        // only an event handed to Kafka can be in the log: an 'overloaded' answer means it never was
        assertThat(counts.keySet().stream()
                        .filter(id -> !acceptedIds.contains(id))
                        .map(answers::get))
                .as("answers of events written though not accepted")
                .allMatch(v -> v.startsWith("RECIPIENT_FAILURE:unavailable:"));
    }
}
