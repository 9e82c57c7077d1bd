package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.bus.Addresses;
import io.sluice.kafka.KafkaSettings;
import io.sluice.locallambda.SinkStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The walking skeleton end to end, all real: the embedded Apache Kafka broker (child JVM), the producer
 * verticle, the consumer group, batching, the AWS SDK LambdaAsyncClient over HTTP to the local Invoke
 * endpoint hosting the dispatcher function, which posts to the local sink.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EndToEndIT {
    private static final int EVENTS = 20_000;
    private static Vertx vertx;
    private static Sluice sluice;
    private static Optional<ProcessHandle> brokerProcess = Optional.empty();

    @BeforeAll
    static void start() throws Exception {
        JsonObject conf = TestConfigs.local();
        conf.getJsonObject("generator").put("enabled", false);
        conf.getJsonArray("pipelines").getJsonObject(0).getJsonObject("batch").put("maxWaitMs", 100);
        vertx = Vertx.vertx();
        sluice = new Sluice(vertx, SluiceConfig.fromJson(conf), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        sluice.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        brokerProcess = sluice.cluster().process(sluice.cluster().nodeIds().get(0));
        assertThat(brokerProcess).isPresent();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sluice != null) {
            sluice.stopBlocking(Duration.ofSeconds(60));
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        brokerProcess.ifPresent(p -> await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive()));
    }

    @Test
    void everyEventReachesTheSinkInKeyOrderAndEveryOffsetIsCommitted() throws Exception {
        // 20,000 events, codes across both topics, per-key sequence numbers in production order
        List<String> ids = new ArrayList<>(EVENTS);
        Map<String, Integer> seqByKey = new HashMap<>();
        Map<String, String> failures = new ConcurrentHashMap<>();
        Semaphore window = new Semaphore(2_000);
        int[] codes = {300, 301, 305, 400, 401, 402, 410};
        List<Future<?>> replies = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            int code = codes[i % codes.length];
            String truck = "T-" + (i % 97);
            String key = code + ":" + truck;
            int seq = seqByKey.merge(key, 1, Integer::sum);
            String id = "e2e-" + i;
            ids.add(id);
            JsonObject event = new JsonObject()
                    .put("eventId", id)
                    .put("code", code)
                    .put("truckId", truck)
                    .put("timestamp", System.currentTimeMillis())
                    .put("seq", seq)
                    .put("speedKmh", 80);
            window.acquire();
            // One key's events must be sent in order: the event bus and the producer keep send order.
            Future<?> f = vertx.eventBus()
                    .request(Addresses.PRODUCE, event, new DeliveryOptions().setSendTimeout(60_000))
                    .onComplete(ar -> {
                        window.release();
                        if (ar.failed()) {
                            failures.put(id, ar.cause().getMessage());
                        }
                    });
            replies.add(f);
        }
        Future.join(replies)
                .otherwiseEmpty()
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        assertThat(failures).as("producer answers").isEmpty();

        SinkStore sink = sluice.localLambda().sink();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> sink.uniqueCount() >= EVENTS);
        assertThat(sink.missing(ids)).as("ids that never reached the sink").isEmpty();
        assertThat(sink.uniqueCount()).isEqualTo(EVENTS);
        assertThat(sink.orderViolations()).as("per-key order violations").isZero();

        KafkaSettings kafka = sluice.config().kafka();
        try (Admin admin = Admin.create(kafka.clientConfig(Map.of(), Map.of()))) {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        Map<TopicPartition, Long> lag = lag(admin, "sluice-dispatcher", List.of("mt-c400", "mt-c300"));
                        assertThat(lag).hasSize(16);
                        assertThat(lag)
                                .allSatisfy((tp, l) -> assertThat(l)
                                        .as("committed vs end offset of " + tp)
                                        .isZero());
                    });
        }
    }

    /** End offset minus committed offset for every partition of {@code topics}. */
    static Map<TopicPartition, Long> lag(Admin admin, String group, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var d : admin.describeTopics(topics)
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .values()) {
            d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
        }
        var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        return ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> {
            OffsetAndMetadata c = committed.get(e.getKey());
            return e.getValue().offset() - (c == null ? 0 : c.offset());
        }));
    }
}
