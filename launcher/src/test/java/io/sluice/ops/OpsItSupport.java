package io.sluice.ops;

import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.lambda.Dispatcher;
import io.sluice.lambda.DispatcherConfig;
import io.sluice.lambda.DispatcherHandler;
import io.sluice.lambda.route.RouteTable;
import io.sluice.lambda.route.TargetSpec;
import io.sluice.lambda.route.UnknownCodePolicy;
import io.sluice.launcher.ConfigLoader;
import io.sluice.launcher.Main;
import io.sluice.launcher.Sluice;
import io.sluice.launcher.SluiceConfig;
import io.sluice.locallambda.DispatcherFunction;
import io.sluice.locallambda.SinkStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A local Sluice (conf/local.json: embedded broker, local Lambda; generator and ingest off) whose function is
 * replaced at will, a config file for the commands pointing at its broker, and the commands run in-process with the
 * real config loader. Every wait is bounded.
 */
final class OpsItSupport implements AutoCloseable {
    static final String TOKEN = "ops-it-token-0123";
    static final String GROUP = "sluice-dispatcher";

    final Vertx vertx;
    final Sluice sluice;
    final Path opsConfig;
    final String bootstrap;

    private OpsItSupport(Vertx vertx, Sluice sluice, Path opsConfig) {
        this.vertx = vertx;
        this.sluice = sluice;
        this.opsConfig = opsConfig;
        this.bootstrap = sluice.cluster().bootstrapServers();
    }

    static OpsItSupport start(Path dir) throws Exception {
        JsonObject c = io.sluice.launcher.TestConfigs.local(); // conf/local.json, status line off, free ports
        c.getJsonObject("ingest").put("enabled", false);
        c.getJsonObject("generator").put("enabled", false);
        JsonObject p = c.getJsonArray("pipelines").getJsonObject(0);
        p.getJsonObject("batch").put("maxWaitMs", 50);
        p.getJsonObject("retry").put("maxAttempts", 2).put("baseDelayMs", 20).put("maxDelayMs", 200);
        p.put("commitIntervalMs", 500).put("redrive", new JsonObject().put("maxAttempts", 2));
        c.put(
                "admin",
                new JsonObject()
                        .put("enabled", true)
                        .put("host", "127.0.0.1")
                        .put("port", 0)
                        .put("token", TOKEN)
                        .put("lagRefreshMs", 1000)
                        .put("lagWindowSamples", 5));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx = Main.vertxWithMetrics(registry);
        Sluice sluice = new Sluice(vertx, SluiceConfig.fromJson(c), registry);
        sluice.start().toCompletionStage().toCompletableFuture().get(150, TimeUnit.SECONDS);
        // what an operator's file says: the same pipeline, the broker by address, nothing started locally
        JsonObject ops = c.copy();
        ops.getJsonObject("embedded").put("enabled", false);
        ops.getJsonObject("localLambda").put("enabled", false);
        ops.getJsonObject("kafka")
                .put("bootstrapServers", sluice.cluster().bootstrapServers())
                .put("createTopics", false);
        Path file = dir.resolve("ops.json");
        Files.writeString(file, ops.encodePrettily());
        return new OpsItSupport(vertx, sluice, file);
    }

    /** The pipeline's function: delivers the given codes to the sink, answers every other code as invalid. */
    void functionAccepting(Set<Integer> codes) {
        URI sink = URI.create(sluice.localLambda().endpoint() + "/sink/events");
        Map<Integer, List<String>> routes = new HashMap<>();
        codes.forEach(code -> routes.put(code, List.of("sink")));
        RouteTable table = new RouteTable(
                Map.of("sink", TargetSpec.http("sink", sink, Duration.ofSeconds(10))),
                routes,
                List.of(),
                UnknownCodePolicy.INVALID);
        DispatcherConfig config = DispatcherConfig.of(table).withDedupeCapacity(0); // every redelivery reaches the sink
        sluice.localLambda()
                .register(
                        "dispatcher",
                        new DispatcherFunction(new DispatcherHandler(
                                Dispatcher.create(config),
                                config.deadlineMargin().toMillis())),
                        100,
                        Duration.ofSeconds(30));
    }

    SinkStore sink() {
        return sluice.localLambda().sink();
    }

    String admin() {
        return "http://127.0.0.1:" + sluice.adminPort();
    }

    /** One command's outcome. */
    record Run(int exit, String out, String err) {}

    /** Runs {@code java -jar sluice.jar <args>} in-process (the real registry, config loader and admin token). */
    Run command(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OpsEnv env = new OpsEnv(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(AdminApi.TOKEN_ENV, TOKEN),
                ConfigLoader::loadBlocking);
        int code = io.sluice.cli.StandardCommands.create().run(args, env);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

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

    /** Sends {@code n} events {@code prefix-i} of {@code code} to {@code topic} with CreateTime {@code timestampMs}
     * (now when -1); waits for every acknowledgement. */
    List<String> produce(String topic, String prefix, int n, int code, long timestampMs) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("max.in.flight.requests.per.connection", "1");
        List<String> ids = new ArrayList<>();
        List<Future<?>> acks = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                String id = prefix + "-" + i;
                String truck = "T-" + (i % 20);
                ids.add(id);
                acks.add(p.send(new ProducerRecord<>(
                        topic,
                        null,
                        timestampMs < 0 ? null : timestampMs + i,
                        (code + ":" + truck).getBytes(StandardCharsets.UTF_8),
                        event(id, code, truck, i))));
            }
            for (Future<?> a : acks) {
                a.get(60, TimeUnit.SECONDS);
            }
        }
        return ids;
    }

    Admin adminClient() {
        return Admin.create(Map.of("bootstrap.servers", bootstrap));
    }

    Map<TopicPartition, Long> ends(String topic) throws Exception {
        try (Admin a = adminClient()) {
            Map<TopicPartition, OffsetSpec> q = new HashMap<>();
            a.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .forEach(p -> q.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return a.listOffsets(q).all().get(10, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(
                            Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    long endSum(String topic) throws Exception {
        return ends(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    Map<TopicPartition, Long> committed(String group) throws Exception {
        try (Admin a = adminClient()) {
            return a
                    .listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS)
                    .entrySet()
                    .stream()
                    .collect(Collectors.toMap(
                            Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    /** Waits until the pipeline's group has committed every record of its topics. */
    void awaitCommittedToEnd() {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    Map<TopicPartition, Long> c = committed(GROUP);
                    for (String t : List.of("mt-c400", "mt-c300")) {
                        for (Map.Entry<TopicPartition, Long> e : ends(t).entrySet()) {
                            if (e.getValue() > 0 && c.getOrDefault(e.getKey(), -1L) < e.getValue()) {
                                return false;
                            }
                        }
                    }
                    return true;
                });
    }

    /** Every record of {@code topic} up to its current end offsets. */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic) throws Exception {
        Map<TopicPartition, Long> ends = ends(topic);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", "false");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(ends.keySet());
            c.seekToBeginning(ends.keySet());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ends.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end " + ends);
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
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

    static JsonArray array(List<?> l) {
        return new JsonArray(new ArrayList<>(l));
    }

    @Override
    public void close() throws Exception {
        try {
            sluice.stopBlocking(Duration.ofSeconds(60));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        }
    }
}
