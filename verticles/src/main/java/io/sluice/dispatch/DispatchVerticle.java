package io.sluice.dispatch;

import io.sluice.bus.Addresses;
import io.sluice.metrics.PipelineMetrics;
import io.sluice.record.Batch;
import io.sluice.record.BatchOutcome;
import io.sluice.record.InRecord;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Invokes the pipeline's Lambda function for each batch and answers only when every record of the
 * batch is final: delivered, or written to the DLQ. Retries failed invocations (and the records a
 * partial failure names) with exponential backoff and full jitter on timers, up to the configured
 * attempts; splits a batch the service rejects as too large; dead-letters what is left.
 *
 * <p>Every batch gets an answer. A run that throws (the payload builder, the SDK client's {@code invoke} or
 * any step of the run throwing instead of failing a future: a defect, not a property of the records) ends
 * with a failure: the batch is answered {@code fail(500)}, and the batching verticle requeues it and
 * dispatches it again after a delay. Such a throw spends no attempt and dead-letters nothing; the batch's
 * records stay not final, so nothing is committed past them (no loss). Records the failed run had already
 * delivered or dead-lettered may be delivered or dead-lettered again (at least once). The run answers only
 * once all its branches (poison records' DLQ write, invocations) have ended.
 */
public final class DispatchVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(DispatchVerticle.class);

    private final DispatchSettings settings;
    private final LambdaAsyncClient lambda;
    private final DeadLetterWriter dlq;
    private final KafkaEventPayload payloads;
    private final PipelineMetrics metrics;
    private final Backoff backoff;
    private final CircuitBreaker breaker;
    private boolean stopped; // on this verticle's context, as are the runs
    private io.sluice.tracing.DispatchTrace trace;

    /** The function answered with {@code X-Amz-Function-Error}: a failure for the breaker, with the answer. */
    private static final class FunctionError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient InvokeResponse response;

        FunctionError(InvokeResponse response) {
            super("function error: " + response.functionError(), null, false, false);
            this.response = response;
        }
    }

    /** A step of the run threw instead of failing its future: ends the run (see the class comment). */
    private static final class RunDefect extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RunDefect(String what, RuntimeException cause) {
            super(what + " threw " + cause, cause);
        }
    }

    /**
     * @param breaker shared by the pipeline's dispatch instances; null = no breaker
     */
    public DispatchVerticle(
            DispatchSettings settings,
            LambdaAsyncClient lambda,
            DeadLetterWriter dlq,
            KafkaEventPayload payloads,
            PipelineMetrics metrics,
            CircuitBreaker breaker) {
        this.settings = settings;
        this.lambda = lambda;
        this.dlq = dlq;
        this.payloads = payloads;
        this.metrics = metrics;
        this.breaker = breaker;
        this.backoff =
                new Backoff(settings.retry().baseDelayMs(), settings.retry().maxDelayMs(), ThreadLocalRandom.current());
    }

    @Override
    public Future<?> start() {
        trace = new io.sluice.tracing.DispatchTrace(
                io.sluice.tracing.Tracing.of(vertx),
                settings.name(),
                settings.lambda().functionName());
        MessageConsumer<Batch> c = vertx.eventBus().localConsumer(Addresses.dispatch(settings.name()), this::onBatch);
        return c.completion();
    }

    /**
     * Ends the runs waiting for a retry timer (Vert.x does not cancel {@code vertx.timer} with the verticle): each
     * fails "dispatch stopped" when its timer fires, its records not final. Invocations in flight finish.
     */
    @Override
    public Future<?> stop() {
        stopped = true;
        return Future.succeededFuture();
    }

    private void onBatch(Message<Batch> msg) {
        Batch b = msg.body();
        metrics.batch(b.records().size(), b.payloadBytes(), b.closeReason(), !"too-large".equals(b.closeReason()));
        metrics.batchSpan(b.partitionCount(), b.slices().size());
        Future<BatchOutcome> run;
        try {
            run = new Run(b).start();
        } catch (RuntimeException e) {
            run = Future.failedFuture(new RunDefect("dispatching the batch", e));
        }
        run.onSuccess(msg::reply).onFailure(err -> {
            if (stopped) { // expected at a stop: the records are not final, the next owner reads them again
                LOG.info("pipeline={} batch {} not final at stop: {}", settings.name(), b.range(), err.toString());
            } else {
                LOG.error(
                        "Batch {} of pipeline {} ended without an outcome: {}",
                        b.range(),
                        settings.name(),
                        err.toString(),
                        err);
            }
            msg.fail(500, err.toString());
        });
    }

    /**
     * The life of one batch: attempts, partial retries, splits, DLQ. Runs on this verticle's context. Tracks which
     * records of each slice are not final yet; when slices become final while others still retry it reports them
     * on {@link Addresses#batchProgress} so their lanes free and their offsets commit; the answer covers the rest.
     *
     * <p>Partial failures keep lane order (the event source mapping's checkpoint rule, per lane): for each lane, the
     * lowest record the function names in {@code batchItemFailures} and every later record of that lane in the
     * invocation are sent again (in order, whatever the function said of the later ones); the lane's records
     * before it, and other lanes, are delivered. So a later record of a key (of a partition, in partition ordering)
     * never counts as delivered before an earlier one that failed, even when the function answers only the first
     * failure of a key and skips the rest, as ordered consumers are advised to.
     */
    private final class Run {
        private final Batch batch;
        private final IdentityHashMap<InRecord, Integer> sliceOf;
        private final int[] pending;
        private final List<Integer> finalSlices = new ArrayList<>();
        private int reported; // slices reported final in progress messages
        private int delivered;
        private int deadLettered;
        private int invocations;
        private long firstFailureMs = -1;
        private final io.sluice.tracing.DispatchTrace.Batch spans;

        Run(Batch batch) {
            this.batch = batch;
            this.spans = trace.batch(batch.records());
            this.pending = new int[batch.slices().size()];
            this.sliceOf = new IdentityHashMap<>(batch.records().size() * 2);
            for (int i = 0; i < pending.length; i++) {
                List<InRecord> rs = batch.slices().get(i).records();
                pending[i] = rs.size();
                for (InRecord r : rs) {
                    sliceOf.put(r, i);
                }
            }
        }

        Future<BatchOutcome> start() {
            return spans.finish(run());
        }

        private Future<BatchOutcome> run() {
            if ("too-large".equals(batch.closeReason())) {
                InRecord r = batch.records().get(0);
                return deadLetter(
                                batch.records(),
                                "too-large",
                                "record of " + r.payloadBytes() + " payload bytes exceeds batch.maxBytes "
                                        + settings.batchMaxBytes(),
                                0)
                        .map(v -> outcome());
            }
            List<InRecord> valid = new ArrayList<>(batch.records().size());
            List<InRecord> poison = new ArrayList<>();
            String poisonReason = null;
            for (InRecord r : batch.records()) {
                String problem = settings.validateJson() ? PoisonCheck.problem(r.value()) : null;
                if (problem == null) {
                    valid.add(r);
                } else {
                    poison.add(r);
                    poisonReason = poisonReason == null ? problem : poisonReason;
                    try (var log = spans.log(List.of(r))) {
                        LOG.warn(
                                "pipeline={} poison record {}: {}; to the DLQ",
                                settings.name(),
                                r.coordinates(),
                                problem);
                    }
                }
            }
            Future<Void> dead =
                    poison.isEmpty() ? Future.succeededFuture() : deadLetter(poison, "poison", poisonReason, 0);
            Future<Void> sent = valid.isEmpty() ? Future.succeededFuture() : attempt(valid, 1);
            // join, not all: a failed branch answers only once the other has ended too
            return Future.join(dead, sent).map(v -> outcome());
        }

        /** The answer: the slices not reported in a progress message. */
        private BatchOutcome outcome() {
            List<Integer> rest = new ArrayList<>(finalSlices.subList(reported, finalSlices.size()));
            return new BatchOutcome(batch, rest, delivered, deadLettered, invocations);
        }

        /** These records are final; slices with none left pending are reported, unless the batch is all final. */
        private void finalized(List<InRecord> records, boolean wereDelivered) {
            if (wereDelivered) {
                delivered += records.size();
            } else {
                deadLettered += records.size();
            }
            for (InRecord r : records) {
                int i = sliceOf.get(r);
                if (--pending[i] == 0) {
                    finalSlices.add(i);
                }
            }
            if (finalSlices.size() > reported && finalSlices.size() < pending.length) {
                BatchOutcome progress = new BatchOutcome(
                        batch, finalSlices.subList(reported, finalSlices.size()), delivered, deadLettered, invocations);
                reported = finalSlices.size();
                delivered = 0;
                deadLettered = 0;
                invocations = 0;
                vertx.eventBus().send(Addresses.batchProgress(settings.name()), progress);
            }
        }

        private InvokeRequest request(List<InRecord> records, int attempt) {
            byte[] payload = payloads.build(records, attempt);
            return InvokeRequest.builder()
                    .functionName(settings.lambda().functionName())
                    .invocationType(InvocationType.REQUEST_RESPONSE)
                    .payload(SdkBytes.fromByteArrayUnsafe(payload))
                    .build();
        }

        /**
         * One invocation. Building the payload (up to {@code batch.maxBytes} of JSON) and handing it to the SDK (which
         * signs it, hashing the payload on the calling thread) run on a worker thread, not on the event loop; the
         * answer comes back on this verticle's context.
         */
        private Future<InvokeResponse> invoke(List<InRecord> records, int attempt) {
            Future<InvokeResponse> call = vertx.<CompletableFuture<InvokeResponse>>executeBlocking(
                            () -> {
                                InvokeRequest req;
                                try {
                                    req = request(records, attempt);
                                } catch (RuntimeException e) {
                                    throw new RunDefect("building the payload", e);
                                }
                                try {
                                    return lambda.invoke(req);
                                } catch (RuntimeException e) {
                                    throw new RunDefect("the Lambda client's invoke", e);
                                }
                            },
                            false)
                    .compose(cf -> Future.fromCompletionStage(cf, context));
            return call.compose(resp -> resp.functionError() == null
                    ? Future.succeededFuture(resp)
                    : Future.failedFuture(new FunctionError(resp)));
        }

        private Future<Void> attempt(List<InRecord> records, int attempt) {
            boolean probe = breaker != null && breaker.state() != CircuitBreakerState.CLOSED;
            long t0 = System.nanoTime();
            io.opentelemetry.api.trace.Span span = spans.invoke(records, attempt);
            Future<InvokeResponse> call =
                    breaker == null ? invoke(records, attempt) : breaker.execute(() -> invoke(records, attempt));
            return call.transform(ar -> {
                spans.invoked(
                        span,
                        ar.succeeded() ? ar.result() : ar.cause() instanceof FunctionError fe ? fe.response : null,
                        ar.cause(),
                        ar.succeeded()
                                ? "answered"
                                : ar.cause() instanceof FunctionError
                                        ? FailureClass.FUNCTION_ERROR.label()
                                        : ErrorClassifier.classify(ar.cause()).label());
                if (ar.succeeded()) {
                    invocations++;
                    return onAnswer(records, attempt, ar.result(), t0);
                }
                Throwable err = ar.cause();
                if (err instanceof RunDefect) {
                    return Future.failedFuture(err);
                }
                if (err instanceof OpenCircuitException) {
                    // Nothing was sent: wait for the breaker's probe window, spend no attempt.
                    return later(
                            Math.max(50, settings.breaker().resetTimeoutMs() / 2), () -> attempt(records, attempt));
                }
                invocations++;
                if (err instanceof FunctionError fe) {
                    return onAnswer(records, attempt, fe.response, t0);
                }
                FailureClass fc = ErrorClassifier.classify(err);
                metrics.invocation(fc.label(), System.nanoTime() - t0);
                if (fc == FailureClass.TOO_LARGE) {
                    return split(records, attempt);
                }
                // A failed probe of an open breaker, or the failure that opened it, spends no attempt: an outage
                // means lag, not DLQ (with one batch in flight its own attempts are the failures that open it).
                boolean openNow = breaker != null && breaker.state() == CircuitBreakerState.OPEN;
                int spent = probe || openNow ? attempt - 1 : attempt;
                return retryOrDeadLetter(records, spent, fc.label(), ErrorClassifier.message(err));
            });
        }

        private Future<Void> onAnswer(List<InRecord> records, int attempt, InvokeResponse resp, long t0) {
            byte[] body = resp.payload() == null ? null : resp.payload().asByteArrayUnsafe();
            InvokeVerdict v = InvokeVerdict.of(resp.functionError(), body, records);
            if (v.retryAll()) {
                String cls = resp.functionError() != null
                        ? FailureClass.FUNCTION_ERROR.label()
                        : FailureClass.PARTIAL_FAILURE.label();
                metrics.invocation(cls, System.nanoTime() - t0);
                return retryOrDeadLetter(records, attempt, cls, v.reason());
            }
            metrics.invocation(
                    v.retry().isEmpty() ? "success" : FailureClass.PARTIAL_FAILURE.label(), System.nanoTime() - t0);
            LaneSplit split = LaneSplit.of(records, sliceOf, v, settings.retry().onPartialFailure());
            if (split.resentForOrder() > 0) {
                metrics.resentForOrder(split.resentForOrder());
            }
            metrics.delivered(split.delivered().size());
            finalized(split.delivered(), true);
            Future<Void> inv = split.invalid().isEmpty()
                    ? Future.succeededFuture()
                    : deadLetter(
                            split.invalid(), FailureClass.INVALID_RECORD.label(), firstReason(v.invalid()), attempt);
            if (split.retry().isEmpty()) {
                return inv;
            }
            return inv.compose(x -> retryPartial(
                    split.retry(),
                    attempt,
                    "function reported " + v.retry().size() + " record(s) in batchItemFailures; "
                            + split.retry().size() + " sent again from each lane's first failure"));
        }

        /**
         * What keeps order among the records sent again: their lane ({@code lane} rule), or their key in their
         * partition ({@code named} rule: the function holds a failed key's later records back).
         */
        private Object orderGroup(InRecord r) {
            return settings.retry().onPartialFailure() == RetrySettings.Resend.LANE
                    ? sliceOf.get(r)
                    : r.topic() + "-" + r.partition() + "/"
                            + (r.key() == null ? "" : HexFormat.of().formatHex(r.key()));
        }

        /**
         * Records to send again after a partial failure. Out of attempts, only the first of each order group (lane, or
         * key) — the record that failed itself — goes to the DLQ; the records behind it (the function may have failed
         * them only to keep their key's order) go again with fresh attempts, after it.
         */
        private Future<Void> retryPartial(List<InRecord> retry, int attempt, String message) {
            String cls = FailureClass.PARTIAL_FAILURE.label();
            if (attempt < settings.retry().maxAttempts()) {
                return retryOrDeadLetter(retry, attempt, cls, message);
            }
            List<InRecord> heads = new ArrayList<>();
            List<InRecord> rest = new ArrayList<>();
            Set<Object> seen = new HashSet<>();
            for (InRecord r : retry) {
                (seen.add(orderGroup(r)) ? heads : rest).add(r);
            }
            noteFailure();
            try (var log = spans.log(heads)) {
                LOG.warn(
                        "pipeline={} {} failed {} attempt(s) ({}: {}); each lane's first failure to the DLQ ({} record(s)), "
                                + "{} record(s) behind them sent again",
                        settings.name(),
                        batch.range(),
                        attempt,
                        cls,
                        message,
                        heads.size(),
                        rest.size());
            }
            return deadLetter(heads, cls, message, attempt)
                    .compose(v -> rest.isEmpty() ? Future.succeededFuture() : attempt(rest, 1));
        }

        /** Remembers when the run's first failure happened (the DLQ headers carry it). */
        private void noteFailure() {
            if (firstFailureMs < 0) {
                firstFailureMs = System.currentTimeMillis();
            }
        }

        private Future<Void> retryOrDeadLetter(List<InRecord> records, int attempt, String errorClass, String message) {
            noteFailure();
            if (attempt >= settings.retry().maxAttempts()) {
                try (var log = spans.log(records)) {
                    LOG.warn(
                            "pipeline={} {} failed {} attempt(s) ({}: {}); {} record(s) to the DLQ",
                            settings.name(),
                            batch.range(),
                            attempt,
                            errorClass,
                            message,
                            records.size());
                }
                return deadLetter(records, errorClass, message, attempt);
            }
            long delay = backoff.delayMs(Math.max(1, attempt));
            LOG.debug(
                    "pipeline={} {} attempt {} failed ({}: {}); retry in {} ms",
                    settings.name(),
                    batch.range(),
                    attempt,
                    errorClass,
                    message,
                    delay);
            metrics.retry();
            return later(
                    Math.max(1, delay), spans.retry(attempt, delay, errorClass, () -> attempt(records, attempt + 1)));
        }

        /** {@code next} after {@code delayMs}; a throw in it fails the returned future (compose), as does a stop. */
        private Future<Void> later(long delayMs, Supplier<Future<Void>> next) {
            return vertx.timer(delayMs)
                    .compose(v -> stopped
                            ? Future.failedFuture(
                                    new IllegalStateException("dispatch stopped: " + batch.range() + " not final"))
                            : next.get());
        }

        private Future<Void> split(List<InRecord> records, int attempt) {
            if (records.size() == 1) {
                return deadLetter(
                        records,
                        FailureClass.TOO_LARGE.label(),
                        "the Invoke API rejected the payload as too large",
                        attempt);
            }
            int half = records.size() / 2;
            List<InRecord> first = records.subList(0, half);
            List<InRecord> second = records.subList(half, records.size());
            LOG.info(
                    "pipeline={} {}: payload too large, splitting {} records in two",
                    settings.name(),
                    batch.range(),
                    records.size());
            return attempt(first, attempt).compose(v -> attempt(second, attempt));
        }

        private Future<Void> deadLetter(List<InRecord> records, String errorClass, String message, int attempts) {
            long now = System.currentTimeMillis();
            DeadLetterWriter.Failure f = new DeadLetterWriter.Failure(
                    errorClass, message, attempts, firstFailureMs < 0 ? now : firstFailureMs, now);
            return spans.deadLetter(records.size(), errorClass, dlq.write(context, records, f))
                    .onSuccess(v -> {
                        metrics.deadLettered(errorClass, records.size());
                        finalized(records, false);
                    });
        }
    }

    private static String firstReason(Map<InvokeVerdict.Ref, String> invalid) {
        return invalid.values().stream().findFirst().orElse("invalid");
    }
}
