package io.sluice.pipeline;


import io.sluice.batch.BatchSettings;
import io.sluice.batch.BatchingSettings;
import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.consumer.ConsumerSettings;
import io.sluice.dispatch.BreakerSettings;
import io.sluice.dispatch.DispatchSettings;
import io.sluice.dispatch.LambdaSettings;
import io.sluice.dispatch.RetrySettings;
import io.sluice.record.Ordering;
import java.util.List;
import java.util.Map;

/**
 * One consumer pipeline: topics → consumer group → batching → one Lambda function. A process may run
 * several, isolated from each other.
 *
 * @param inFlightMaxRecords   records handed to batching and not yet final; above it the consumer pauses
 * @param inFlightMaxBytes     the same in bytes (key + value)
 * @param resumeRatio          resume when in-flight falls under this fraction of both limits
 * @param dlqTopic             where records go after the last attempt or when they are invalid
 * @param commitIntervalMs     commit also on this interval (besides every completion)
 * @param revokeTimeoutMs      how long a revocation waits for in-flight batches before committing what is final
 * @param shutdownTimeoutMs    how long a graceful stop waits for in-flight batches
 * @param dispatchInstances    dispatch verticle instances (event bus round-robin)
 * @param consumerProperties   Kafka consumer property overrides
 * @param breaker              circuit breaker around the Lambda call
 * @param validateJson         dead-letter records whose value is not a JSON object before invoking (poison records)
 * @param restart              what happens after a fatal consumer error
 */
public record PipelineSettings(String name, List<String> topics, String groupId, Ordering ordering, int lanes,
                               BatchSettings batch, int inFlightMaxRecords, long inFlightMaxBytes, double resumeRatio,
                               RetrySettings retry, LambdaSettings lambda, String dlqTopic, long commitIntervalMs,
                               long revokeTimeoutMs, long shutdownTimeoutMs, int dispatchInstances,
                               Map<String, String> consumerProperties, BreakerSettings breaker, boolean validateJson,
                               RestartSettings restart) {

    public PipelineSettings {
        topics = List.copyOf(topics);
        consumerProperties = Map.copyOf(consumerProperties);
    }

    /** The batching verticle's part of these settings. */
    public BatchingSettings batching() {
        return new BatchingSettings(name, ordering, lanes, batch, lambda.maxConcurrency());
    }

    /** The consumer verticle's part of these settings. */
    public ConsumerSettings consumer() {
        return new ConsumerSettings(name, topics, commitIntervalMs, inFlightMaxRecords, inFlightMaxBytes, resumeRatio,
                revokeTimeoutMs, shutdownTimeoutMs, batch.maxRecords());
    }

    /** The dispatch verticle's part of these settings. */
    public DispatchSettings dispatch() {
        return new DispatchSettings(name, lambda, retry, breaker, validateJson, batch.maxBytes());
    }

    public static PipelineSettings from(Cfg c) {
        String name = c.requiredString("name");
        if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new ConfigException(c.key("name"), "must be lower-case letters, digits and dashes (max 63), got '" + name + "'");
        }
        List<String> topics = c.strings("topics", List.of());
        if (topics.isEmpty()) {
            throw new ConfigException(c.key("topics"), "is required (a non-empty array of topic names)");
        }
        String group = c.requiredString("groupId");
        Ordering ordering = c.oneOf("ordering", "partition", Ordering.byConfigName());
        int lanes = c.intIn("lanes", 8, 1, 1024);
        BatchSettings batch = BatchSettings.from(c.child("batch"));
        Cfg inflight = c.child("inFlight");
        int maxRecords = inflight.intIn("maxRecords", 50_000, 1, 10_000_000);
        long maxBytes = inflight.longIn("maxBytes", 64L * 1024 * 1024, 1024, 8L * 1024 * 1024 * 1024);
        double resume = inflight.doubleIn("resumeRatio", 0.5, 0.0, 1.0);
        inflight.done();
        RetrySettings retry = RetrySettings.from(c.child("retry"));
        LambdaSettings lambda = LambdaSettings.from(c.child("lambda"));
        String dlq = c.requiredString("dlqTopic");
        long commitInterval = c.longIn("commitIntervalMs", 5_000, 100, 600_000);
        long revokeTimeout = c.longIn("revokeTimeoutMs", 10_000, 0, 300_000);
        long shutdownTimeout = c.longIn("shutdownTimeoutMs", 15_000, 0, 600_000);
        int dispatchInstances = c.intIn("dispatchInstances", 2, 1, 64);
        Map<String, String> props = c.properties("kafka");
        BreakerSettings breaker = BreakerSettings.from(c.child("breaker"));
        boolean validateJson = c.bool("validateJson", true);
        RestartSettings restart = RestartSettings.from(c.child("restart"));
        c.done();
        if (maxRecords < batch.maxRecords()) {
            throw new ConfigException(c.key("inFlight.maxRecords"),
                    "must be >= batch.maxRecords (" + batch.maxRecords() + "), got " + maxRecords);
        }
        return new PipelineSettings(name, topics, group, ordering, lanes, batch, maxRecords, maxBytes, resume, retry,
                lambda, dlq, commitInterval, revokeTimeout, shutdownTimeout, dispatchInstances, props, breaker, validateJson,
                restart);
    }

    public PipelineSettings withLambda(LambdaSettings l) {
        return new PipelineSettings(name, topics, groupId, ordering, lanes, batch, inFlightMaxRecords, inFlightMaxBytes,
                resumeRatio, retry, l, dlqTopic, commitIntervalMs, revokeTimeoutMs, shutdownTimeoutMs,
                dispatchInstances, consumerProperties, breaker, validateJson, restart);
    }
}
