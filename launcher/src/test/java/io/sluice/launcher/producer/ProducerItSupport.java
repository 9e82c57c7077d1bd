package io.sluice.launcher.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.launcher.Sluice;
import io.sluice.launcher.SluiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Shared helpers of the producer-side integration tests. */
final class ProducerItSupport {
    static final List<String> EVENT_TOPICS = List.of("mt-c400", "mt-c300", "high-priority");
    static final String DLQ = "sluice-producer-dlq";

    private ProducerItSupport() {}

    /** Starts Sluice in {@code vertx} with {@code conf} (bounded). */
    static Sluice startSluice(Vertx vertx, JsonObject conf) throws Exception {
        Sluice sluice =
                new Sluice(vertx, SluiceConfig.fromJson(conf), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        sluice.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        return sluice;
    }

    /** Stops what {@link #startSluice} started (either may be null). */
    static void stop(Sluice sluice, Vertx vertx) throws Exception {
        if (sluice != null) {
            sluice.stopBlocking(Duration.ofSeconds(60));
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** conf/local.json reduced to the producer side: embedded broker, producer, ingest on a free port. */
    static JsonObject producerOnlyConfig() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("conf/local.json"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "conf/local.json not found above " + Path.of("").toAbsolutePath());
        }
        try {
            JsonObject c = new JsonObject(Files.readString(p.resolve("conf/local.json")));
            c.getJsonObject("status").put("intervalMs", 0);
            c.getJsonObject("generator").put("enabled", false);
            c.getJsonObject("localLambda").put("enabled", false);
            c.put("pipelines", new JsonArray());
            if (c.getValue("admin") instanceof JsonObject admin) {
                admin.put("enabled", false); // not under test here; its fixed port could clash
            }
            c.put(
                    "ingest",
                    new JsonObject()
                            .put("enabled", true)
                            .put("host", "127.0.0.1")
                            .put("port", 0)
                            .put("maxBodyBytes", 1024 * 1024)
                            .put("maxEventsPerRequest", 1000));
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One record read back: topic, partition, offset, the event id in its value, and its headers. */
    record Read(String topic, int partition, long offset, String eventId, Map<String, String> headers) {}

    /**
     * Reads every record of {@code topics} from the beginning up to the end offsets as of now (every
     * acknowledged write is below them), keeping those whose {@code eventId} starts with {@code prefix}.
     */
    static List<Read> readAll(String bootstrap, List<String> topics, String prefix, Duration timeout) {
        Map<String, Object> props = Map.of(
                "bootstrap.servers",
                bootstrap,
                "enable.auto.commit",
                "false",
                "max.poll.records",
                "5000",
                "isolation.level",
                "read_uncommitted");
        List<Read> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (String t : topics) {
                for (PartitionInfo pi : c.partitionsFor(t, Duration.ofSeconds(30))) {
                    tps.add(new TopicPartition(t, pi.partition()));
                }
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(tps, Duration.ofSeconds(30)));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!end.isEmpty()) {
                assertThat(System.nanoTime())
                        .as("read every record up to the end offsets within %s, left %s", timeout, end)
                        .isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    String id = eventId(r.value());
                    if (id != null && id.startsWith(prefix)) {
                        Map<String, String> h = new HashMap<>();
                        for (Header header : r.headers()) {
                            h.put(
                                    header.key(),
                                    header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
                        }
                        out.add(new Read(r.topic(), r.partition(), r.offset(), id, h));
                    }
                }
                end.entrySet().removeIf(e -> c.position(e.getKey()) >= e.getValue());
            }
        }
        return out;
    }

    private static String eventId(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            Object id = new JsonObject(new String(value, StandardCharsets.UTF_8)).getValue("eventId");
            return id instanceof String s ? s : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
