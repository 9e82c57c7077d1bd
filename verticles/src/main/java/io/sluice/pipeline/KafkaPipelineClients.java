package io.sluice.pipeline;

import io.sluice.consumer.EndOffsets;
import io.sluice.dispatch.LambdaClients;
import io.sluice.kafka.KafkaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;

/** The real clients of a pipeline: Kafka consumer, DLQ producer and admin (end offsets), the AWS SDK Lambda client. */
public final class KafkaPipelineClients implements PipelineClients {
    /** A fetch waits on the broker for up to this many milliseconds ... */
    static final String FETCH_MAX_WAIT_MS = "20";
    /** ... unless this many bytes are there sooner (1 MiB: at 13,000 events/s a fetch would need ~300 ms). */
    static final String FETCH_MIN_BYTES = "1048576";

    private final PipelineSettings settings;
    private final KafkaSettings kafka;

    public KafkaPipelineClients(PipelineSettings settings, KafkaSettings kafka) {
        this.settings = settings;
        this.kafka = kafka;
    }

    @Override
    public Consumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(
                kafka.clientConfig(
                        consumerDefaults(
                                settings.name(),
                                settings.groupId(),
                                ProcessHandle.current().pid()),
                        settings.consumerProperties()),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /**
     * The consumer's own settings, under the pipeline's {@code kafka} overrides. A fetch waits for data on the
     * broker ({@code fetch.max.wait.ms} {@value #FETCH_MAX_WAIT_MS}, {@code fetch.min.bytes} {@value
     * #FETCH_MIN_BYTES}) instead of coming back with the few records that arrived since the last one: at 13,000
     * events/s that is ~40 polls a second of ~300 records instead of ~140 of ~90, and each poll cycle (the fetch
     * request, its syscalls and wake-ups, the hand-off to batching) costs about as much as its records. The price is
     * up to 20 ms of latency (10 on average) for a record that arrives while the broker waits.
     */
    static Map<String, Object> consumerDefaults(String pipeline, String groupId, long pid) {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("group.id", groupId);
        defaults.put("enable.auto.commit", "false");
        defaults.put("auto.offset.reset", "earliest");
        defaults.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        defaults.put("max.poll.records", "1000");
        defaults.put("fetch.max.wait.ms", FETCH_MAX_WAIT_MS);
        defaults.put("fetch.min.bytes", FETCH_MIN_BYTES);
        // Partitions added to a subscribed topic are found on the next metadata refresh (Kafka's default is
        // 5 min); 10 s lets a running consumer group pick them up quickly (they start from earliest).
        defaults.put("metadata.max.age.ms", "10000");
        defaults.put("client.id", "sluice-" + pipeline + "-" + pid);
        return defaults;
    }

    @Override
    public LambdaAsyncClient lambda() {
        return LambdaClients.create(settings.lambda());
    }

    @Override
    public Producer<byte[], byte[]> dlqProducer() {
        Map<String, Object> m = new HashMap<>();
        m.put("acks", "all");
        m.put("enable.idempotence", "true");
        m.put("linger.ms", "5");
        m.put(
                "client.id",
                "sluice-dlq-" + settings.name() + "-" + ProcessHandle.current().pid());
        return new KafkaProducer<>(
                kafka.clientConfig(m, Map.of()), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public EndOffsets endOffsets() {
        Map<String, Object> m = new HashMap<>();
        m.put(
                "client.id",
                "sluice-lag-" + settings.name() + "-" + ProcessHandle.current().pid());
        m.put("request.timeout.ms", "5000");
        m.put("default.api.timeout.ms", "5000");
        Admin admin = Admin.create(kafka.clientConfig(m, Map.of()));
        boolean readCommitted = "read_committed"
                .equals(settings.consumerProperties()
                        .getOrDefault("isolation.level", "read_uncommitted")
                        .toLowerCase(Locale.ROOT));
        return new AdminEndOffsets(
                admin, readCommitted ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED);
    }

    @Override
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** End offsets through the admin client's own network thread: asynchronous, nothing waits. */
    private record AdminEndOffsets(Admin admin, IsolationLevel isolation) implements EndOffsets {
        @Override
        public CompletionStage<Map<TopicPartition, Long>> latest(Set<TopicPartition> partitions) {
            Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
            partitions.forEach(tp -> spec.put(tp, OffsetSpec.latest()));
            CompletableFuture<Map<TopicPartition, Long>> out = new CompletableFuture<>();
            admin.listOffsets(spec, new ListOffsetsOptions(isolation).timeoutMs(5_000))
                    .all()
                    .whenComplete((r, err) -> {
                        if (err != null) {
                            out.completeExceptionally(err);
                            return;
                        }
                        Map<TopicPartition, Long> ends = new HashMap<>();
                        r.forEach((tp, info) -> ends.put(tp, info.offset()));
                        out.complete(ends);
                    });
            return out;
        }

        @Override
        public void close() {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
