package io.sluice.pipeline;

import io.sluice.batch.BatchSettings;
import io.sluice.batch.BatchingSettings;
import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
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
 * @param redrive              where records failing again after a {@code dlq redrive} go ({@code redrive})
 */
public record PipelineSettings(
        String name,
        List<String> topics,
        String groupId,
        Ordering ordering,
        int lanes,
        BatchSettings batch,
        int inFlightMaxRecords,
        long inFlightMaxBytes,
        double resumeRatio,
        RetrySettings retry,
        LambdaSettings lambda,
        String dlqTopic,
        long commitIntervalMs,
        long revokeTimeoutMs,
        long shutdownTimeoutMs,
        int dispatchInstances,
        Map<String, String> consumerProperties,
        BreakerSettings breaker,
        boolean validateJson,
        RestartSettings restart,
        io.sluice.dispatch.RedriveSettings redrive) {

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
        return new ConsumerSettings(
                name,
                topics,
                commitIntervalMs,
                inFlightMaxRecords,
                inFlightMaxBytes,
                resumeRatio,
                revokeTimeoutMs,
                shutdownTimeoutMs,
                batch.maxRecords());
    }

    /** The dispatch verticle's part of these settings. */
    public DispatchSettings dispatch() {
        return new DispatchSettings(name, lambda, retry, breaker, validateJson, batch.maxBytes());
    }

    private static final Key<String> NAME =
            Key.required("name", "lower-case letters, digits and dashes (max 63); used in addresses and metric tags");
    private static final Key<List<String>> TOPICS =
            Key.strings("topics", List.of(), "the topics it consumes (required)");
    private static final Key<String> GROUP_ID = Key.required("groupId", "its consumer group");
    private static final Key<Ordering> ORDERING = Key.oneOf(
            "ordering",
            "partition",
            Ordering.byConfigName(),
            "partition: one batch in flight per partition; key: per-key lanes, several invocations per partition");
    private static final Key<Integer> LANES = Key.integer("lanes", 8, 1, 1024, "lanes per partition in key ordering");
    private static final Key<Cfg> BATCH = Key.object("batch", BatchSettings.SECTION);
    private static final Key<Integer> IN_FLIGHT_MAX_RECORDS = Key.integer(
            "maxRecords",
            50_000,
            1,
            10_000_000,
            "records handed to batching and not yet final (>= batch.maxRecords); a partition over its share (this "
                    + "bound / assigned partitions, at least two full batches) is paused alone, so a hot key's backlog "
                    + "never pauses cold partitions; above the whole bound everything pauses");
    private static final Key<Long> IN_FLIGHT_MAX_BYTES = Key.longInt(
            "maxBytes", 64L * 1024 * 1024, 1024, 8L * 1024 * 1024 * 1024, "the same bound in bytes (key + value)");
    private static final Key<Double> RESUME_RATIO = Key.number(
            "resumeRatio", 0.5, 0.0, 1.0, "resume under this fraction of the bound (or of a paused partition's share)");
    private static final Key<Cfg> IN_FLIGHT = Key.object(
            "inFlight",
            Section.of(
                    "the in-flight bound: what the consumer holds before it pauses",
                    IN_FLIGHT_MAX_RECORDS,
                    IN_FLIGHT_MAX_BYTES,
                    RESUME_RATIO));
    private static final Key<Cfg> RETRY = Key.object("retry", RetrySettings.SECTION);
    private static final Key<Cfg> LAMBDA = Key.object("lambda", LambdaSettings.SECTION);
    private static final Key<String> DLQ_TOPIC = Key.required(
            "dlqTopic",
            "where records go after the last attempt or when they are invalid (with sluice-source-* headers)");
    private static final Key<Long> COMMIT_INTERVAL_MS = Key.longInt(
            "commitIntervalMs", 5_000, 100, 600_000, "commit also on this interval (besides every completion)");
    private static final Key<Long> REVOKE_TIMEOUT_MS = Key.longInt(
            "revokeTimeoutMs",
            10_000,
            0,
            300_000,
            "how long a revocation waits for in-flight batches before committing what is final");
    private static final Key<Long> SHUTDOWN_TIMEOUT_MS = Key.longInt(
            "shutdownTimeoutMs", 15_000, 0, 600_000, "how long a graceful stop waits for in-flight batches");
    private static final Key<Integer> DISPATCH_INSTANCES =
            Key.integer("dispatchInstances", 2, 1, 64, "dispatch verticle instances (event bus round-robin)");
    private static final Key<Map<String, String>> KAFKA = Key.properties(
            "kafka",
            "consumer property overrides (e.g. group.instance.id); Sluice's own defaults include fetch.max.wait.ms "
                    + KafkaPipelineClients.FETCH_MAX_WAIT_MS + " and fetch.min.bytes "
                    + KafkaPipelineClients.FETCH_MIN_BYTES + " (fewer, larger fetches: up to "
                    + KafkaPipelineClients.FETCH_MAX_WAIT_MS + " ms more latency; set fetch.max.wait.ms lower for "
                    + "less)");
    private static final Key<Cfg> BREAKER = Key.object("breaker", BreakerSettings.SECTION);
    private static final Key<Boolean> VALIDATE_JSON = Key.bool(
            "validateJson",
            true,
            "dead-letter records whose value is not a JSON object before invoking (poison records)");
    private static final Key<Cfg> RESTART = Key.object("restart", RestartSettings.SECTION);
    private static final Key<Cfg> REDRIVE = Key.object("redrive", io.sluice.dispatch.RedriveSettings.SECTION);
    /** One element of {@code pipelines}. */
    public static final Section SECTION = Section.of(
            "consumer pipelines: topics -> group -> batching -> one function; "
                    + "each isolated (own group, function, batching)",
            NAME,
            TOPICS,
            GROUP_ID,
            ORDERING,
            LANES,
            BATCH,
            IN_FLIGHT,
            RETRY,
            LAMBDA,
            DLQ_TOPIC,
            COMMIT_INTERVAL_MS,
            REVOKE_TIMEOUT_MS,
            SHUTDOWN_TIMEOUT_MS,
            DISPATCH_INSTANCES,
            KAFKA,
            BREAKER,
            VALIDATE_JSON,
            RESTART,
            REDRIVE);

    public static PipelineSettings from(Cfg c) {
        String name = c.get(NAME);
        if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new ConfigException(
                    c.key("name"), "must be lower-case letters, digits and dashes (max 63), got '" + name + "'");
        }
        List<String> topics = c.get(TOPICS);
        if (topics.isEmpty()) {
            throw new ConfigException(c.key("topics"), "is required (a non-empty array of topic names)");
        }
        String group = c.get(GROUP_ID);
        Ordering ordering = c.get(ORDERING);
        int lanes = c.get(LANES);
        BatchSettings batch = BatchSettings.from(c.get(BATCH));
        Cfg inflight = c.get(IN_FLIGHT);
        int maxRecords = inflight.get(IN_FLIGHT_MAX_RECORDS);
        long maxBytes = inflight.get(IN_FLIGHT_MAX_BYTES);
        double resume = inflight.get(RESUME_RATIO);
        inflight.done();
        RetrySettings retry = RetrySettings.from(c.get(RETRY));
        LambdaSettings lambda = LambdaSettings.from(c.get(LAMBDA));
        String dlq = c.get(DLQ_TOPIC);
        long commitInterval = c.get(COMMIT_INTERVAL_MS);
        long revokeTimeout = c.get(REVOKE_TIMEOUT_MS);
        long shutdownTimeout = c.get(SHUTDOWN_TIMEOUT_MS);
        int dispatchInstances = c.get(DISPATCH_INSTANCES);
        Map<String, String> props = c.get(KAFKA);
        BreakerSettings breaker = BreakerSettings.from(c.get(BREAKER));
        boolean validateJson = c.get(VALIDATE_JSON);
        RestartSettings restart = RestartSettings.from(c.get(RESTART));
        io.sluice.dispatch.RedriveSettings redrive = io.sluice.dispatch.RedriveSettings.from(c.get(REDRIVE));
        c.done();
        if (maxRecords < batch.maxRecords()) {
            throw new ConfigException(
                    c.key("inFlight.maxRecords"),
                    "must be >= batch.maxRecords (" + batch.maxRecords() + "), got " + maxRecords);
        }
        return new PipelineSettings(
                name,
                topics,
                group,
                ordering,
                lanes,
                batch,
                maxRecords,
                maxBytes,
                resume,
                retry,
                lambda,
                dlq,
                commitInterval,
                revokeTimeout,
                shutdownTimeout,
                dispatchInstances,
                props,
                breaker,
                validateJson,
                restart,
                redrive);
    }

    public PipelineSettings withLambda(LambdaSettings l) {
        return new PipelineSettings(
                name,
                topics,
                groupId,
                ordering,
                lanes,
                batch,
                inFlightMaxRecords,
                inFlightMaxBytes,
                resumeRatio,
                retry,
                l,
                dlqTopic,
                commitIntervalMs,
                revokeTimeoutMs,
                shutdownTimeoutMs,
                dispatchInstances,
                consumerProperties,
                breaker,
                validateJson,
                restart,
                redrive);
    }
}
