package io.sluice.pipeline;

import io.sluice.config.Cfg;
import io.sluice.consumer.EndOffsets;
import io.sluice.consumer.PacedConsumer;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Clients for middle-tier tests of a pipeline: a {@link MockConsumer} per incarnation (polling at a human pace,
 * so the consumer thread does not spin), a Lambda client that accepts every invocation, a {@link MockProducer}
 * for the DLQ. Records which threads built them and every incarnation's consumer.
 */
final class FakeClients implements PipelineClients {
    static final String TOPIC = "t";

    final List<PacedConsumer> consumers = new CopyOnWriteArrayList<>();
    final List<String> builtOn = new CopyOnWriteArrayList<>();
    final MockProducer<byte[], byte[]> dlq =
            new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());
    final AtomicInteger invocations = new AtomicInteger();
    /** Records per invocation, in order. */
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    /** While set, invocations get no answer until {@link #release()}. */
    volatile boolean hold;
    /** While set, invocations carrying records of this "topic-partition" get no answer until {@link #release()}. */
    volatile String holdPartition;

    private final List<CompletableFuture<InvokeResponse>> held = new CopyOnWriteArrayList<>();
    volatile EndOffsets endOffsets;

    /** How many of the next consumers fail to be created (as a bad bootstrap address would). */
    final AtomicInteger failingConsumers = new AtomicInteger();

    @Override
    public Consumer<byte[], byte[]> consumer() {
        if (failingConsumers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new org.apache.kafka.common.KafkaException("no resolvable bootstrap urls");
        }
        PacedConsumer c = new PacedConsumer();
        consumers.add(c);
        return c;
    }

    @Override
    public LambdaAsyncClient lambda() {
        builtOn.add(where("lambda"));
        return new LambdaAsyncClient() {
            @Override
            public CompletableFuture<InvokeResponse> invoke(InvokeRequest request) {
                invocations.incrementAndGet();
                JsonObject event = new JsonObject(request.payload().asUtf8String());
                int n = 0;
                for (String k : event.getJsonObject("records").fieldNames()) {
                    n += event.getJsonObject("records").getJsonArray(k).size();
                }
                batchSizes.add(n);
                CompletableFuture<InvokeResponse> f = new CompletableFuture<>();
                if (hold
                        || holdPartition != null
                                && event.getJsonObject("records").containsKey(holdPartition)) {
                    held.add(f);
                } else {
                    f.complete(ok());
                }
                return f;
            }

            @Override
            public String serviceName() {
                return "lambda";
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public Producer<byte[], byte[]> dlqProducer() {
        builtOn.add(where("dlq"));
        return dlq;
    }

    @Override
    public EndOffsets endOffsets() {
        builtOn.add(where("endOffsets"));
        return endOffsets;
    }

    @Override
    public String bootstrapServers() {
        return "mock:9092";
    }

    /** Answers every held invocation and stops holding. */
    void release() {
        hold = false;
        holdPartition = null;
        held.forEach(f -> f.complete(ok()));
        held.clear();
    }

    private static InvokeResponse ok() {
        return InvokeResponse.builder()
                .statusCode(200)
                .payload(SdkBytes.fromString("{\"batchItemFailures\":[]}", StandardCharsets.UTF_8))
                .build();
    }

    PacedConsumer latest() {
        return consumers.get(consumers.size() - 1);
    }

    private static String where(String what) {
        return what + "@" + Thread.currentThread().getName() + (Context.isOnEventLoopThread() ? " (event loop)" : "");
    }

    /** An end-offsets source answering {@code end} for every partition. */
    static EndOffsets fixedEnds(long end) {
        return new EndOffsets() {
            @Override
            public CompletionStage<Map<TopicPartition, Long>> latest(Set<TopicPartition> partitions) {
                Map<TopicPartition, Long> m = new java.util.HashMap<>();
                partitions.forEach(tp -> m.put(tp, end));
                return CompletableFuture.completedFuture(m);
            }

            @Override
            public void close() {}
        };
    }

    static List<ConsumerRecord<byte[], byte[]>> records(TopicPartition tp, long from, int n) {
        return FakeRecords.of(tp, from, n);
    }

    static PipelineSettings settings(String name, JsonObject overrides) {
        JsonObject json = new JsonObject()
                .put("name", name)
                .put("topics", List.of(TOPIC))
                .put("groupId", "g-" + name)
                .put("batch", new JsonObject().put("maxRecords", 100).put("maxWaitMs", 10))
                .put(
                        "retry",
                        new JsonObject()
                                .put("maxAttempts", 3)
                                .put("baseDelayMs", 10)
                                .put("maxDelayMs", 50))
                .put("lambda", new JsonObject().put("functionName", "f").put("maxConcurrency", 8))
                .put("dlqTopic", TOPIC + "-dlq")
                .put("commitIntervalMs", 100)
                .put("shutdownTimeoutMs", 2000)
                .put("restart", new JsonObject().put("initialDelayMs", 50).put("maxDelayMs", 400));
        json.mergeIn(overrides, true);
        return PipelineSettings.from(new Cfg(json, "pipeline"));
    }
}
