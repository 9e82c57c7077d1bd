package io.sluice.it;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.config.Cfg;
import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.embedded.EmbeddedKafkaOptions;
import io.sluice.kafka.KafkaSettings;
import io.sluice.kafka.Topics;
import io.sluice.locallambda.DispatcherFunction;
import io.sluice.locallambda.FaultInjection;
import io.sluice.locallambda.LocalLambdaOptions;
import io.sluice.locallambda.LocalLambdaServer;
import io.sluice.locallambda.SinkStore;
import io.sluice.pipeline.Pipeline;
import io.sluice.pipeline.PipelineSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Real parts for integration tests of the delivery engine: one embedded Kafka broker, one Vert.x, the
 * local Lambda endpoint with its sink; each test gets its own topic, group and function name.
 */
final class Harness implements AutoCloseable {
    final EmbeddedKafkaCluster cluster;
    final Vertx vertx;
    final LocalLambdaServer lambda;
    final KafkaSettings kafka;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Pipeline> pipelines = new ArrayList<>();

    Harness() throws Exception {
        cluster = EmbeddedKafkaCluster.start(EmbeddedKafkaOptions.builder()
                .logDirectory(java.nio.file.Path.of("target", "it-broker-logs", String.valueOf(System.nanoTime())))
                .build());
        kafka = new KafkaSettings(cluster.bootstrapServers(), Map.of(), List.of(), true);
        vertx = Vertx.vertx();
        lambda = LocalLambdaServer.start(vertx, LocalLambdaOptions.defaults().withDispatcherFunctionName(null))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    /** Registers a dispatcher function (no warm-container dedupe: tests see every redelivery). */
    FaultInjection function(String name, int concurrency) {
        lambda.register(
                name,
                DispatcherFunction.toSink(URI.create(lambda.endpoint() + "/sink/events"), Duration.ofSeconds(10), 0),
                concurrency,
                Duration.ofSeconds(30));
        return lambda.faults(name);
    }

    SinkStore sink() {
        return lambda.sink();
    }

    void createTopics(int partitions, String... names) throws Exception {
        List<KafkaSettings.TopicSpec> specs = new ArrayList<>();
        for (String n : names) {
            specs.add(new KafkaSettings.TopicSpec(n, partitions, (short) 1));
        }
        Topics.create(kafka, specs);
    }

    /** Pipeline settings from JSON overrides on top of test defaults. */
    PipelineSettings settings(String name, String topic, String function, JsonObject overrides) {
        JsonObject json = new JsonObject()
                .put("name", name)
                .put("topics", List.of(topic))
                .put("groupId", "g-" + name)
                .put("batch", new JsonObject().put("maxRecords", 500).put("maxWaitMs", 50))
                .put(
                        "retry",
                        new JsonObject()
                                .put("maxAttempts", 5)
                                .put("baseDelayMs", 20)
                                .put("maxDelayMs", 500))
                .put(
                        "lambda",
                        new JsonObject().put("functionName", function).put("endpointOverride", lambda.endpoint()))
                .put("dlqTopic", topic + "-dlq")
                .put("commitIntervalMs", 500);
        json.mergeIn(overrides, true);
        return PipelineSettings.from(new Cfg(json, "pipeline"));
    }

    Pipeline start(PipelineSettings s) throws Exception {
        Pipeline p = new Pipeline(vertx, s, kafka, registry);
        p.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        pipelines.add(p);
        return p;
    }

    void stop(Pipeline p) throws Exception {
        pipelines.remove(p);
        p.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> props = new HashMap<>(kafka.clientConfig(Map.of(), Map.of()));
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("linger.ms", "5");
        props.put("request.timeout.ms", "60000");
        // one request in flight: a retried first batch can never be overtaken (KAFKA-15591)
        props.put("max.in.flight.requests.per.connection", "1");
        props.put("delivery.timeout.ms", "300000");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A telemetry event as JSON bytes. */
    static byte[] event(String id, int code, String truck, long seq) {
        return new JsonObject()
                .put("eventId", id)
                .put("code", code)
                .put("truckId", truck)
                .put("timestamp", System.currentTimeMillis())
                .put("seq", seq)
                .put("speedKmh", 72)
                .toBuffer()
                .getBytes();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends {@code n} events ({@code prefix-i}) with keys over {@code keys} trucks; waits for all acks. */
    List<String> produce(String topic, String prefix, int n, int keys) throws Exception {
        return produce(topic, prefix, n, keys, "T-");
    }

    /**
     * As {@link #produce(String, String, int, int)} with trucks named {@code truckPrefix + i}: keys no other test
     * of the class uses, for the sink's per-key order check (shared by the class).
     */
    List<String> produce(String topic, String prefix, int n, int keys, String truckPrefix) throws Exception {
        List<String> ids = new ArrayList<>(n);
        Map<String, Long> seq = new HashMap<>();
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>(n);
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            for (int i = 0; i < n; i++) {
                String truck = truckPrefix + (i % keys);
                String key = "400:" + truck;
                long s = seq.merge(key, 1L, Long::sum);
                String id = prefix + "-" + i;
                ids.add(id);
                acks.add(p.send(new ProducerRecord<>(topic, utf8(key), event(id, 400, truck, s))));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (java.util.concurrent.Future<?> ack : acks) {
                // every id counted as produced was acknowledged by the broker (bounded wait)
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        }
        return ids;
    }

    /** All records of a topic from the beginning (bounded wait for {@code expected} of them). */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected, Duration timeout) {
        Map<String, Object> props = new HashMap<>(kafka.clientConfig(Map.of(), Map.of()));
        props.put("group.id", "reader-" + System.nanoTime());
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // drain what else is there (must be nothing more when the expectation is exact)
            c.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        return out;
    }

    /** End offset minus committed offset of {@code group}, per partition of {@code topic}. */
    Map<TopicPartition, Long> lag(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(kafka.clientConfig(Map.of(), Map.of()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
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

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static String eventId(ConsumerRecord<byte[], byte[]> r) {
        try {
            return new JsonObject(new String(r.value(), StandardCharsets.UTF_8)).getString("eventId");
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Produces a steady rate of events (a tick every 10 ms) until closed; keeps every acknowledged id with
     * the time it was sent (constant-time bookkeeping, unlike a copy-on-write list, so a long run at
     * thousands per second does not eat the CPU the test measures).
     */
    static final class Pacer implements AutoCloseable {
        /** Acknowledged ids → send time (epoch ms). */
        final Map<String, Long> sentAt = new java.util.concurrent.ConcurrentHashMap<>();

        private final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        private final KafkaProducer<byte[], byte[]> producer;
        private final java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();

        Pacer(Harness h, String topic, String prefix, int perSecond, int keys) {
            this.producer = h.producer();
            int perTick = Math.max(1, perSecond / 100);
            timer.scheduleAtFixedRate(
                    () -> {
                        long now = System.currentTimeMillis();
                        for (int i = 0; i < perTick; i++) {
                            long n = next.getAndIncrement();
                            String truck = "T-" + (n % keys);
                            String id = prefix + "-" + n;
                            producer.send(
                                    new ProducerRecord<>(topic, utf8("400:" + truck), event(id, 400, truck, n)),
                                    (md, err) -> {
                                        if (err == null) {
                                            sentAt.put(id, now);
                                        }
                                    });
                        }
                    },
                    0,
                    10,
                    TimeUnit.MILLISECONDS);
        }

        /** The acknowledged ids so far. */
        List<String> ids() {
            return new ArrayList<>(sentAt.keySet());
        }

        /** Stops producing and waits (bounded) for the last acknowledgements. */
        @Override
        public void close() throws InterruptedException {
            timer.shutdown();
            timer.awaitTermination(10, TimeUnit.SECONDS);
            producer.close(Duration.ofSeconds(60));
        }
    }

    @Override
    public void close() throws Exception {
        for (Pipeline p : List.copyOf(pipelines)) {
            stop(p);
        }
        lambda.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        cluster.close();
    }
}
