package io.sluice.launcher.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bus.Addresses;
import io.sluice.launcher.Sluice;
import io.sluice.producer.ProduceAnswer;
import io.sluice.producer.ProduceBatch;
import io.sluice.producer.ProduceBatchReply;
import io.sluice.producer.ProduceResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sluice.produce.batch} against the real producer and the embedded broker, with a token bucket and an
 * in-flight bound tight enough that one burst of batches is partly refused (rate-limited; overloaded too when
 * the acknowledgements lag): exact accounting of ids.
 * Every event gets exactly one result in its batch's order; every accepted one is in the log exactly once,
 * at the topic/partition/offset it was answered with; every invalid one is in the producer DLQ with its
 * reason; every rate-limited or overloaded one is nowhere.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProducerBatchIT {
    private static final int BATCHES = 40;
    private static final int BATCH_SIZE = 500;
    private static Vertx vertx;
    private static Sluice sluice;

    @BeforeAll
    static void start() throws Exception {
        JsonObject conf = ProducerItSupport.producerOnlyConfig();
        conf.getJsonObject("ingest").put("enabled", false);
        conf.getJsonObject("producer")
                .put(
                        "rate",
                        new JsonObject()
                                .put("messagesPerSecond", 200)
                                .put("burst", 1000)
                                .put("maxWaitMs", 20))
                .put("maxInFlightMessages", 1500);
        vertx = Vertx.vertx();
        sluice = ProducerItSupport.startSluice(vertx, conf);
    }

    @AfterAll
    static void stop() throws Exception {
        ProducerItSupport.stop(sluice, vertx);
    }

    @Test
    void everyEventOfEveryBatchIsAnsweredOnceAndTheLogMatchesTheAnswers() throws Exception {
        String p = "batch-" + System.nanoTime() + "-";
        int[] codes = {300, 301, 400, 410};
        List<List<String>> ids = new ArrayList<>();
        List<Future<ProduceBatchReply>> replies = new ArrayList<>();
        Map<String, String> expectedInvalid = new HashMap<>();
        int notJson = 0;
        DeliveryOptions opts = new DeliveryOptions().setSendTimeout(60_000).addHeader("correlation-id", "batch-it");
        for (int b = 0; b < BATCHES; b++) {
            List<Object> events = new ArrayList<>(BATCH_SIZE);
            List<String> batchIds = new ArrayList<>(BATCH_SIZE);
            for (int i = 0; i < BATCH_SIZE; i++) {
                int n = b * BATCH_SIZE + i;
                String id = p + n;
                JsonObject e = new JsonObject()
                        .put("eventId", id)
                        .put("code", codes[n % codes.length])
                        .put("truckId", "T-" + (n % 37))
                        .put("timestamp", System.currentTimeMillis())
                        .put("seq", n);
                if (n % 97 == 0) {
                    e.remove("truckId");
                    expectedInvalid.put(id, "missing-field");
                } else if (n % 101 == 0) {
                    e.put("code", "x");
                    expectedInvalid.put(id, "wrong-type");
                }
                if (n % 499 == 0) {
                    events.add(Buffer.buffer("{\"eventId\":\"" + id + "\", not json"));
                    expectedInvalid.remove(id);
                    notJson++;
                } else {
                    events.add(
                            switch (n % 3) { // every form a batch may carry
                                case 0 -> e;
                                case 1 -> e.toBuffer();
                                default -> e.encode();
                            });
                }
                batchIds.add(id);
            }
            ids.add(batchIds);
            replies.add(vertx.eventBus()
                    .<ProduceBatchReply>request(Addresses.PRODUCE_BATCH, new ProduceBatch(events), opts)
                    .map(m -> m.body()));
        }
        Future.all(replies).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);

        Map<String, ProduceResult> results = new HashMap<>();
        Map<ProduceAnswer, Integer> counts = new EnumMap<>(ProduceAnswer.class);
        for (int b = 0; b < BATCHES; b++) {
            ProduceBatchReply reply = replies.get(b).result();
            assertThat(reply.size()).as("one result per event").isEqualTo(BATCH_SIZE);
            for (int i = 0; i < BATCH_SIZE; i++) {
                ProduceResult r = reply.results().get(i);
                assertThat(results.put(ids.get(b).get(i), r)).isNull();
                counts.merge(r.answer(), 1, Integer::sum);
            }
        }
        System.out.printf("batch: %d events, answers %s%n", results.size(), counts);
        assertThat(results).hasSize(BATCHES * BATCH_SIZE);
        assertThat(counts.getOrDefault(ProduceAnswer.ACCEPTED, 0)).isPositive();
        assertThat(counts.getOrDefault(ProduceAnswer.RATE_LIMITED, 0))
                .as("the token bucket applies per event")
                .isPositive();
        assertThat(counts.getOrDefault(ProduceAnswer.INVALID, 0))
                .as("validation comes first: every invalid event is 'invalid'")
                .isEqualTo(expectedInvalid.size() + notJson);
        assertThat(counts.keySet())
                .isSubsetOf(
                        ProduceAnswer.ACCEPTED,
                        ProduceAnswer.INVALID,
                        ProduceAnswer.RATE_LIMITED,
                        ProduceAnswer.OVERLOADED);
        for (Map.Entry<String, String> e : expectedInvalid.entrySet()) {
            assertThat(results.get(e.getKey()).error()).startsWith("invalid: " + e.getValue());
        }
        results.values().stream()
                .filter(r -> !r.isAccepted())
                .forEach(r -> assertThat(r.error()).startsWith(r.answer().label() + ": "));

        List<ProducerItSupport.Read> log = ProducerItSupport.readAll(
                sluice.config().kafka().bootstrapServers(), ProducerItSupport.EVENT_TOPICS, p, Duration.ofSeconds(90));
        Map<String, List<ProducerItSupport.Read>> byId =
                log.stream().collect(Collectors.groupingBy(ProducerItSupport.Read::eventId));
        for (Map.Entry<String, ProduceResult> e : results.entrySet()) {
            List<ProducerItSupport.Read> found = byId.getOrDefault(e.getKey(), List.of());
            ProduceResult r = e.getValue();
            if (r.isAccepted()) {
                assertThat(found)
                        .as("accepted %s is in the log once", e.getKey())
                        .hasSize(1);
                ProducerItSupport.Read read = found.get(0);
                assertThat(List.of(read.topic(), read.partition(), read.offset()))
                        .as("where %s was answered", e.getKey())
                        .isEqualTo(List.of(r.topic(), r.partition(), r.offset()));
                assertThat(read.headers()).containsEntry("correlation-id", "batch-it");
            } else {
                assertThat(found)
                        .as("%s answered %s is not in an event topic", e.getKey(), r.answer())
                        .isEmpty();
            }
        }
        List<ProducerItSupport.Read> dlq = ProducerItSupport.readAll(
                sluice.config().kafka().bootstrapServers(), List.of(ProducerItSupport.DLQ), p, Duration.ofSeconds(60));
        assertThat(dlq.stream()
                        .collect(Collectors.toMap(
                                ProducerItSupport.Read::eventId,
                                r -> r.headers().get("sluice-invalid-reason"))))
                .as("the DLQ holds exactly the invalid events")
                .isEqualTo(expectedInvalid);
    }
}
