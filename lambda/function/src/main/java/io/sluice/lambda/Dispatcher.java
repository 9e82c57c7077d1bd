package io.sluice.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.lambda.dedupe.DedupeSettings;
import io.sluice.lambda.dedupe.DedupeStateMachine;
import io.sluice.lambda.dedupe.DedupeStore;
import io.sluice.lambda.dedupe.DynamoDbDedupeStore;
import io.sluice.lambda.dedupe.LruDedupeStore;
import io.sluice.lambda.event.KafkaEventBatch;
import io.sluice.lambda.event.KafkaEventParser;
import io.sluice.lambda.event.KafkaEventRecord;
import io.sluice.lambda.record.DecodedRecord;
import io.sluice.lambda.record.InvalidRecordException;
import io.sluice.lambda.record.RecordDecoder;
import io.sluice.lambda.record.RecordTransformer;
import io.sluice.lambda.record.RoutedRecord;
import io.sluice.lambda.record.TelemetryEvent;
import io.sluice.lambda.record.TelemetryValidator;
import io.sluice.lambda.route.RouteTable;
import io.sluice.lambda.route.TargetSpec;
import io.sluice.lambda.route.UnknownCodePolicy;
import io.sluice.lambda.target.HttpTarget;
import io.sluice.lambda.target.LogTarget;
import io.sluice.lambda.target.Target;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The function's logic, no Lambda types: parse the Kafka event, then per record decode, validate, transform
 * and route by code; one call per target with all its records, every target concurrently; answer which
 * records failed (retryable) and which are invalid (permanent). Thread-safe; build once per container.
 *
 * <p><b>Per-key order fence.</b> An invocation may carry several partitions ({@code "t-0"}, {@code "t-3"}…)
 * and many keys. Once a record of a key has failed, every later record of that key in the invocation is
 * reported in {@code batchItemFailures} too (never in {@code invalidRecords}), so the answer is right both for
 * a caller that re-sends exactly the listed records and for one that resumes the key's lane from the lowest
 * failed offset: no later record of the key is ever acknowledged ahead of an earlier failed one. A key is the
 * topic-partition plus the Kafka record key bytes; records without a key are fenced together per
 * topic-partition ({@link OrderFence}).
 * <ul>
 *   <li>A forced failure (fault injection, {@code forcedFailure}) fences at once: the later records of its key
 *       are not decoded and reach no target.</li>
 *   <li>A failed target call fails all records of that call. Every record of a key routed to a target is in
 *       that target's one call, in event order, and the call succeeds or fails as a whole; so a target never
 *       receives a key's later record while its earlier one to that same target failed. Routing is by
 *       {@code code} and Sluice keys are {@code <code>:<truck>}, so all records of a key go to the same
 *       targets and a failed call fails them all. When they do not (a key whose records carry different codes,
 *       or a record whose targets were all skipped by the dedupe store), the later record may have reached its
 *       other targets already; it is still reported failed (the fence is applied after the calls), so it is
 *       sent again and the dedupe store skips the targets it reached (a duplicate when the store is off or the
 *       retry lands in another container, which at-least-once delivery allows). No target sees a key out of
 *       order, at the price of that re-send.</li>
 * </ul>
 *
 * <p><b>Dedupe.</b> Each (target, idempotency key) is claimed in the {@link DedupeStore} before its target call
 * ({@link DedupeStateMachine}): a key already delivered skips the target; a key locked by another delivery, or
 * one the store could not answer, makes its record a failure (retried, never dropped) and fences the later
 * records of its key; after the calls a target's keys are completed (success) or released (failure). With
 * {@code onlySuspects} only records Sluice marked as possible redeliveries ({@value #SUSPECT_HEADER} header, or
 * an event whose {@code sluiceDeliveryAttempt} is above 1) are claimed; the keys of the others are still completed.
 */
public final class Dispatcher {

    /** Kafka header Sluice sets to {@code 1} on a record that may have been delivered before. */
    public static final String SUSPECT_HEADER = "sluice-suspect";

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    /** Shared JSON mapper (thread-safe once configured). */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private final KafkaEventParser parser = new KafkaEventParser(MAPPER);
    private final RecordDecoder decoder = new RecordDecoder();
    private final TelemetryValidator validator = new TelemetryValidator(MAPPER);
    private final RecordTransformer transformer = new RecordTransformer();
    private final RouteTable routes;
    private final Map<String, Target> targets;
    private final DedupeStore dedupe;
    private final DedupeGate gate;
    private final long defaultWaitMs;
    private final io.sluice.lambda.trace.FunctionTracing tracing;

    /**
     * Every record claimed in {@code dedupe}; a lock without a known deadline lasts 60 s.
     *
     * @param targets one {@link Target} per target named in the route table
     */
    public Dispatcher(RouteTable routes, Map<String, Target> targets, DedupeStore dedupe) {
        this(routes, targets, dedupe, false, 60_000L);
    }

    /**
     * @param onlySuspects claim only records marked as possible redeliveries (the others' keys are still completed)
     * @param defaultLockMs in-progress lock when the invocation's deadline is unknown
     */
    public Dispatcher(
            RouteTable routes,
            Map<String, Target> targets,
            DedupeStore dedupe,
            boolean onlySuspects,
            long defaultLockMs) {
        this(routes, targets, dedupe, onlySuspects, defaultLockMs, io.sluice.lambda.trace.FunctionTracing.OFF);
    }

    /** @param tracing the target calls' spans and {@code traceparent} (see {@link io.sluice.lambda.trace.FunctionTracing}) */
    public Dispatcher(
            RouteTable routes,
            Map<String, Target> targets,
            DedupeStore dedupe,
            boolean onlySuspects,
            long defaultLockMs,
            io.sluice.lambda.trace.FunctionTracing tracing) {
        this.tracing = tracing;
        this.routes = routes;
        this.targets = Map.copyOf(targets);
        this.dedupe = dedupe;
        this.gate = new DedupeGate(dedupe, onlySuspects, defaultLockMs);
        for (String name : routes.targets().keySet()) {
            if (!this.targets.containsKey(name)) {
                throw new IllegalArgumentException("no Target implementation for route-table target '" + name + "'");
            }
        }
        this.defaultWaitMs = routes.targets().values().stream()
                        .filter(t -> t.timeout() != null)
                        .mapToLong(t -> t.timeout().toMillis())
                        .max()
                        .orElse(0L)
                + 1_000L;
    }

    /** Builds the production dispatcher: one {@link HttpClient} shared by all HTTP targets. */
    public static Dispatcher create(DispatcherConfig config) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .build();
        Map<String, Target> targets = new LinkedHashMap<>();
        for (TargetSpec spec : config.routes().targets().values()) {
            targets.put(
                    spec.name(),
                    spec.type() == TargetSpec.Type.HTTP ? new HttpTarget(spec, http) : new LogTarget(spec.name()));
        }
        DedupeSettings d = config.dedupe();
        return new Dispatcher(
                config.routes(),
                targets,
                store(d),
                d.onlySuspects(),
                d.lockMs(),
                io.sluice.lambda.trace.FunctionTracing.start(
                        io.sluice.lambda.trace.TraceSettings.from(System.getenv(), System.getProperties())));
    }

    /** The store of {@code settings}' mode (the DynamoDB client over the JDK's URL connection). */
    public static DedupeStore store(DedupeSettings settings) {
        return switch (settings.mode()) {
            case OFF -> DedupeStore.none();
            case MEMORY -> new LruDedupeStore(settings.capacity());
            case DYNAMODB -> {
                java.time.Duration timeout = java.time.Duration.ofMillis(settings.timeoutMs());
                DynamoDbDedupeStore store = new DynamoDbDedupeStore(
                        DynamoDbDedupeStore.client(settings.endpoint(), settings.region(), null, timeout),
                        settings.table(),
                        settings.ttlSeconds(),
                        settings.parallelism(),
                        timeout);
                store.prime(); // in the init phase: the first invocation does not pay the client's warm-up
                yield store;
            }
        };
    }

    /** The dedupe store (its {@link DedupeStore#requests()} count the store calls). */
    public DedupeStore dedupeStore() {
        return dedupe;
    }

    /** Same as {@link #dispatch(byte[], Set, long)} with no forced failures and the default wait bound. */
    public DispatchResponse dispatch(byte[] payload) {
        return dispatch(payload, Set.of(), 0L);
    }

    /**
     * @param payload the Lambda Kafka event
     * @param forcedFailures records to report as failed without calling any target (fault injection)
     * @param deadlineEpochMs stop waiting for targets at this time (0 = longest target timeout + 1 s)
     * @throws io.sluice.lambda.event.InvalidEventException the payload is not a Lambda Kafka event
     */
    public DispatchResponse dispatch(byte[] payload, Set<RecordId> forcedFailures, long deadlineEpochMs) {
        return dispatch(payload, forcedFailures::contains, deadlineEpochMs);
    }

    /**
     * Same as {@link #dispatch(byte[], Set, long)} with the forced failures given as a test, asked at most once
     * per record, in event order (a record held by the order fence is not asked): lets a caller fail records at
     * random without parsing the event itself.
     *
     * @param forcedFailure true for a record to report as failed without calling any target (fault injection)
     */
    public DispatchResponse dispatch(byte[] payload, Predicate<RecordId> forcedFailure, long deadlineEpochMs) {
        KafkaEventBatch batch = parser.parse(payload);
        Set<RecordId> failed = new HashSet<>();
        List<InvalidRecord> invalid = new ArrayList<>();
        Map<String, List<Delivery>> perTarget = new LinkedHashMap<>();
        OrderFence fence = new OrderFence();
        List<Delivery> candidates = new ArrayList<>();

        for (KafkaEventRecord rec : batch.records()) {
            RecordId id = rec.id();
            if (fence.holds(rec)) {
                failed.add(id);
                LOG.debug(
                        "held back after an earlier failure of its key topic={} partition={} offset={}",
                        rec.topic(),
                        rec.partition(),
                        rec.offset());
                continue;
            }
            if (forcedFailure.test(id)) {
                failed.add(id);
                fence.fail(rec);
                continue;
            }
            RoutedRecord routed;
            String suspectFlag;
            try {
                DecodedRecord decoded = decoder.decode(rec);
                suspectFlag = decoded.headers().get(SUSPECT_HEADER);
                TelemetryEvent event = validator.validate(decoded.value());
                routed = transformer.transform(decoded, event);
            } catch (InvalidRecordException e) {
                invalid.add(new InvalidRecord(id, e.reason()));
                LOG.warn(
                        "invalid record topic={} partition={} offset={} reason={}",
                        rec.topic(),
                        rec.partition(),
                        rec.offset(),
                        e.reason());
                continue;
            }
            Optional<List<String>> names = routes.targetsFor(routed.code());
            if (names.isEmpty()) {
                if (routes.unknownCodePolicy() == UnknownCodePolicy.DROP) {
                    LOG.info(
                            "dropped record with unrouted code topic={} partition={} offset={} correlationId={} code={}",
                            rec.topic(),
                            rec.partition(),
                            rec.offset(),
                            routed.correlationId(),
                            routed.code());
                } else {
                    String reason = "no route for code " + routed.code();
                    invalid.add(new InvalidRecord(id, reason));
                    LOG.warn(
                            "invalid record topic={} partition={} offset={} correlationId={} reason={}",
                            rec.topic(),
                            rec.partition(),
                            rec.offset(),
                            routed.correlationId(),
                            reason);
                }
                continue;
            }
            boolean suspect = batch.deliveryAttempt() > 1 || "1".equals(suspectFlag);
            for (String target : names.get()) {
                candidates.add(new Delivery(rec, routed, target, suspect));
            }
        }
        gate.admit(candidates, perTarget, failed, deadlineEpochMs);

        Map<String, CompletableFuture<Void>> calls = new LinkedHashMap<>();
        perTarget.forEach((name, pending) -> calls.put(
                name,
                tracing.call(name, headersOf(pending), traceparent -> call(targets.get(name), pending, traceparent))));
        awaitAll(calls.values(), deadlineEpochMs);

        calls.forEach((name, future) -> {
            List<Delivery> pending = perTarget.get(name);
            if (future.isDone() && !future.isCompletedExceptionally()) {
                gate.complete(pending);
                return;
            }
            String cause = failureCause(future);
            if (future.isDone()) {
                gate.release(pending); // the target refused them: the retry claims them again at once
            } // else still running at the deadline: it may yet land, so the locks stay until they expire
            future.cancel(true);
            for (Delivery p : pending) {
                RoutedRecord r = p.record();
                failed.add(r.id());
                LOG.warn(
                        "target call failed topic={} partition={} offset={} correlationId={} traceId={} target={} cause={}",
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        r.correlationId(),
                        io.sluice.lambda.trace.FunctionTracing.traceId(
                                p.source().headers()),
                        name,
                        cause);
            }
        });

        List<RecordId> failures = failuresInEventOrder(batch.records(), failed);
        if (!failures.isEmpty() && !invalid.isEmpty()) {
            Set<RecordId> reported = new HashSet<>(failures); // a held record is reported failed, never invalid
            invalid.removeIf(r -> reported.contains(r.id()));
        }
        LOG.debug(
                "dispatched records={} targets={} failed={} invalid={}",
                batch.records().size(),
                calls.size(),
                failures.size(),
                invalid.size());
        tracing.flush();
        return new DispatchResponse(failures, invalid);
    }

    /**
     * The failed records in event order, each once, plus (the order fence applied after the target calls)
     * every record that follows a failed record of its key.
     */
    private static List<RecordId> failuresInEventOrder(List<KafkaEventRecord> records, Set<RecordId> failed) {
        List<RecordId> failures = new ArrayList<>();
        if (failed.isEmpty()) {
            return failures;
        }
        Set<RecordId> emitted = new HashSet<>();
        OrderFence fence = new OrderFence();
        for (KafkaEventRecord rec : records) {
            RecordId id = rec.id();
            if (failed.contains(id) || fence.holds(rec)) {
                fence.fail(rec);
                if (emitted.add(id)) {
                    failures.add(id);
                }
            }
        }
        return failures;
    }

    private static List<com.fasterxml.jackson.databind.JsonNode> headersOf(List<Delivery> pending) {
        List<com.fasterxml.jackson.databind.JsonNode> headers = new ArrayList<>(pending.size());
        pending.forEach(p -> headers.add(p.source().headers()));
        return headers;
    }

    private static CompletableFuture<Void> call(Target target, List<Delivery> pending, String traceparent) {
        List<RoutedRecord> records = new ArrayList<>(pending.size());
        pending.forEach(p -> records.add(p.record()));
        try {
            return target.deliver(records, traceparent);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void awaitAll(java.util.Collection<CompletableFuture<Void>> futures, long deadlineEpochMs) {
        if (futures.isEmpty()) {
            return;
        }
        long waitMs = deadlineEpochMs > 0 ? deadlineEpochMs - System.currentTimeMillis() : defaultWaitMs;
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .get(Math.max(1L, waitMs), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // per-target outcomes are read below; one failure does not stop the wait for the others
            waitForRest(futures, deadlineEpochMs > 0 ? deadlineEpochMs : System.currentTimeMillis() + waitMs);
        } catch (TimeoutException e) {
            LOG.warn("deadline reached with target calls still running; they are reported as failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitForRest(java.util.Collection<CompletableFuture<Void>> futures, long deadline) {
        for (CompletableFuture<Void> f : futures) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            try {
                f.get(left, TimeUnit.MILLISECONDS);
            } catch (ExecutionException ignored) {
                // read later
            } catch (TimeoutException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String failureCause(CompletableFuture<Void> f) {
        if (!f.isDone()) {
            return "deadline reached before the target answered";
        }
        try {
            f.join();
            return "unknown";
        } catch (RuntimeException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return c.getMessage() != null ? c.getMessage() : c.toString();
        }
    }
}
