package io.sluice.pipeline;

import io.sluice.batch.BatchingVerticle;
import io.sluice.bus.LocalCodec;
import io.sluice.consumer.ConsumerVerticle;
import io.sluice.consumer.PauseState;
import io.sluice.dispatch.Backoff;
import io.sluice.dispatch.DeadLetterWriter;
import io.sluice.dispatch.DispatchVerticle;
import io.sluice.dispatch.KafkaEventPayload;
import io.sluice.dispatch.LambdaClients;
import io.sluice.kafka.AsyncProducer;
import io.sluice.kafka.KafkaSettings;
import io.sluice.metrics.PipelineMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Deploys one consumer pipeline (dispatch × n, batching, consumer) and stops it in the reverse order,
 * so in-flight batches can finish and the consumer commits before dispatch goes away.
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final Vertx vertx;
    private final PipelineSettings settings;
    private final KafkaSettings kafka;
    private final PipelineMetrics metrics;
    private final List<String> deployments = new ArrayList<>();
    private LambdaAsyncClient lambda;
    private AsyncProducer dlqProducer;
    private ConsumerVerticle consumer;
    private BatchingVerticle batching;
    private volatile CircuitBreaker breaker; // replaced by a restart; read by the metrics scrape

    public Pipeline(Vertx vertx, PipelineSettings settings, KafkaSettings kafka, MeterRegistry registry) {
        this.vertx = vertx;
        this.settings = settings;
        this.kafka = kafka;
        this.metrics = new PipelineMetrics(registry, settings.name());
        if (settings.breaker().enabled()) {
            // registered once: a restart (TLS rotation) makes a new breaker, and the gauge reads the current one
            metrics.gauge("sluice.dispatch.breaker.state", this::breakerStateCode);
        }
    }

    public static void registerCodecs(Vertx vertx) {
        LocalCodec.registerAll(vertx, RecordChunk.class, Batch.class, BatchOutcome.class, RevokeRequest.class);
    }

    public Future<Void> start() {
        registerCodecs(vertx);
        lambda = LambdaClients.create(settings.lambda());
        dlqProducer = new AsyncProducer(new KafkaProducer<>(kafka.clientConfig(dlqProducerDefaults(), Map.of()),
                new ByteArraySerializer(), new ByteArraySerializer()), "sluice-dlq-" + settings.name());
        DeadLetterWriter dlq = new DeadLetterWriter(vertx, dlqProducer, settings.dlqTopic(),
                new Backoff(settings.retry().baseDelayMs(), settings.retry().maxDelayMs(), ThreadLocalRandom.current()));
        KafkaEventPayload payloads = new KafkaEventPayload(kafka.bootstrapServers(), null);
        batching = new BatchingVerticle(settings);
        consumer = new ConsumerVerticle(settings, this::newConsumer, metrics);
        breaker = settings.breaker().enabled() ? newBreaker() : null;
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < settings.dispatchInstances(); i++) {
            chain = chain.compose(v -> deploy(new DispatchVerticle(settings, lambda, dlq, payloads, metrics, breaker)));
        }
        return chain.compose(v -> deploy(batching))
                .compose(v -> deploy(consumer))
                .onSuccess(v -> LOG.info("pipeline={} started: topics {}, group {}, ordering {}, function {}",
                        settings.name(), settings.topics(), settings.groupId(), settings.ordering().configName(),
                        settings.lambda().functionName()));
    }

    private Future<Void> deploy(io.vertx.core.Deployable verticle) {
        return vertx.deployVerticle(verticle, new DeploymentOptions()).map(id -> {
            deployments.add(id);
            return null;
        });
    }

    private CircuitBreaker newBreaker() {
        CircuitBreaker b = CircuitBreaker.create("sluice-" + settings.name(), vertx, new CircuitBreakerOptions()
                .setMaxFailures(settings.breaker().maxFailures())
                .setResetTimeout(settings.breaker().resetTimeoutMs())
                .setTimeout(-1)
                .setNotificationAddress(null));
        b.openHandler(v -> {
            LOG.warn("pipeline={} circuit breaker OPEN after {} consecutive failed invocations: pausing consumption",
                    settings.name(), settings.breaker().maxFailures());
            consumer.pause(PauseState.Reason.BREAKER, true);
        });
        b.halfOpenHandler(v -> LOG.info("pipeline={} circuit breaker HALF-OPEN: probing the function", settings.name()));
        b.closeHandler(v -> {
            LOG.info("pipeline={} circuit breaker CLOSED: resuming consumption", settings.name());
            consumer.pause(PauseState.Reason.BREAKER, false);
        });
        return b;
    }

    /** The gauge's value: 0 closed, 1 half-open, 2 open, of the breaker this pipeline has now (0 before the first start). */
    private int breakerStateCode() {
        CircuitBreaker b = breaker;
        if (b == null) {
            return 0;
        }
        return switch (b.state()) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    /** The breaker state ("closed", "half-open", "open"), or "disabled". */
    public String breakerState() {
        return breaker == null ? "disabled" : breaker.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("group.id", settings.groupId());
        defaults.put("enable.auto.commit", "false");
        defaults.put("auto.offset.reset", "earliest");
        defaults.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        defaults.put("max.poll.records", "1000");
        // Partitions added to a subscribed topic are found on the next metadata refresh (Kafka's default is
        // 5 min); 10 s lets a running consumer group pick them up quickly (they start from earliest).
        defaults.put("metadata.max.age.ms", "10000");
        defaults.put("client.id", "sluice-" + settings.name() + "-" + ProcessHandle.current().pid());
        return new KafkaConsumer<>(kafka.clientConfig(defaults, settings.consumerProperties()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Map<String, Object> dlqProducerDefaults() {
        Map<String, Object> m = new HashMap<>();
        m.put("acks", "all");
        m.put("enable.idempotence", "true");
        m.put("linger.ms", "5");
        return m;
    }

    /** Stops consumer, then batching, then dispatch; closes the Lambda client and the DLQ producer. */
    public Future<Void> stop() {
        Future<Void> chain = Future.succeededFuture();
        List<String> reversed = new ArrayList<>(deployments);
        java.util.Collections.reverse(reversed);
        for (String id : reversed) {
            chain = chain.compose(v -> vertx.undeploy(id).recover(err -> {
                LOG.warn("pipeline={} undeploy failed: {}", settings.name(), err.toString());
                return Future.succeededFuture();
            }));
        }
        deployments.clear();
        return chain.compose(v -> vertx.executeBlocking(() -> {
            if (breaker != null) {
                breaker.close();
            }
            if (dlqProducer != null) {
                dlqProducer.close(Duration.ofSeconds(5));
            }
            if (lambda != null) {
                lambda.close();
            }
            return null;
        })).mapEmpty();
    }

    public PipelineSettings settings() {
        return settings;
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    public ConsumerVerticle consumer() {
        return consumer;
    }

    public BatchingVerticle batching() {
        return batching;
    }
}
