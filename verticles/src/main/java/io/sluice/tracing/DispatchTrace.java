package io.sluice.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.sluice.record.InRecord;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;

/**
 * The consumer side of one batch: a {@code batch} span (from its oldest record's poll to its outcome; parent and
 * links from its records, see {@link RecordContexts}) with children {@code batch wait} (poll to dispatch),
 * {@code lambda invoke} per invocation (CLIENT; links to the invocation's records; function error and throttle
 * attributes), {@code retry} per backoff wait and {@code dlq write} per DLQ write. {@link Batch#OFF} when tracing is
 * off: every method returns at once, its arguments unchanged.
 */
public final class DispatchTrace {
    private final Tracing tracing;
    private final String pipeline;
    private final String function;

    public DispatchTrace(Tracing tracing, String pipeline, String function) {
        this.tracing = tracing;
        this.pipeline = pipeline;
        this.function = function;
    }

    /** The batch's trace, started now. */
    public Batch batch(List<InRecord> records) {
        if (!tracing.enabled()) {
            return Batch.OFF;
        }
        long now = PollTrace.epochNanos();
        long oldestPollMs = Long.MAX_VALUE;
        for (InRecord r : records) {
            oldestPollMs = Math.min(oldestPollMs, r.polledAtMs());
        }
        long start = Math.min(now, TimeUnit.MILLISECONDS.toNanos(oldestPollMs));
        Span span = RecordContexts.parentAndLinks(
                        tracing,
                        tracing.tracer()
                                .spanBuilder("batch")
                                .setStartTimestamp(start, TimeUnit.NANOSECONDS)
                                .setAttribute("sluice.pipeline", pipeline),
                        records)
                .startSpan();
        Context ctx = Context.root().with(span);
        tracing.tracer()
                .spanBuilder("batch wait")
                .setParent(ctx)
                .setStartTimestamp(start, TimeUnit.NANOSECONDS)
                .startSpan()
                .end(now, TimeUnit.NANOSECONDS);
        return new Batch(this, span, ctx);
    }

    /** One batch's spans. Used on the dispatch verticle's context. */
    public static final class Batch {
        static final Batch OFF = new Batch(null, Span.getInvalid(), Context.root());
        private final DispatchTrace owner;
        private final Span span;
        private final Context ctx;

        private Batch(DispatchTrace owner, Span span, Context ctx) {
            this.owner = owner;
            this.span = span;
            this.ctx = ctx;
        }

        /** An invocation of {@code records} starts. */
        public Span invoke(List<InRecord> records, int attempt) {
            if (owner == null) {
                return Span.getInvalid();
            }
            Tracing t = owner.tracing;
            var b = t.tracer()
                    .spanBuilder("lambda invoke")
                    .setParent(ctx)
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute("faas.invoked_name", owner.function)
                    .setAttribute("faas.invoked_provider", "aws")
                    .setAttribute("sluice.attempt", attempt)
                    .setAttribute("messaging.batch.message_count", records.size());
            int links = 0;
            for (InRecord r : records) {
                if (links++ >= t.maxLinks()) {
                    break;
                }
                var sc = t.spanContext(r.headers(), Carriers.RECORD);
                if (sc.isValid()) {
                    b.addLink(sc);
                }
            }
            return b.startSpan();
        }

        /**
         * The invocation ended: {@code response} when Lambda answered (also with a function error), else
         * {@code error}. {@code outcome} is Sluice's classification (success, partial-failure, throttled...).
         */
        public void invoked(Span invoke, InvokeResponse response, Throwable error, String outcome) {
            if (owner == null) {
                return;
            }
            invoke.setAttribute("sluice.outcome", outcome);
            if (response != null) {
                invoke.setAttribute("http.response.status_code", response.statusCode());
                if (response.functionError() != null) {
                    invoke.setAttribute("faas.error", response.functionError());
                    invoke.setStatus(StatusCode.ERROR, "function error: " + response.functionError());
                }
            } else if (error != null) {
                Throwable e =
                        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                invoke.setAttribute("sluice.lambda.throttled", "throttled".equals(outcome));
                if (e instanceof LambdaException le) {
                    invoke.setAttribute("http.response.status_code", le.statusCode());
                }
                invoke.setAttribute("error.type", e.getClass().getName());
                invoke.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            }
            invoke.end();
        }

        /** {@code next} after a {@code retry} span covering the backoff wait before attempt {@code attempt + 1}. */
        public <T> Supplier<Future<T>> retry(int attempt, long delayMs, String errorClass, Supplier<Future<T>> next) {
            if (owner == null) {
                return next;
            }
            Span retry = owner.tracing
                    .tracer()
                    .spanBuilder("retry")
                    .setParent(ctx)
                    .setAttribute("sluice.attempt", attempt + 1)
                    .setAttribute("sluice.retry.delay_ms", delayMs)
                    .setAttribute("sluice.error_class", errorClass)
                    .startSpan();
            return () -> {
                retry.end();
                return next.get();
            };
        }

        /** A {@code dlq write} span around {@code write} (PRODUCER). */
        public <T> Future<T> deadLetter(int records, String errorClass, Future<T> write) {
            if (owner == null) {
                return write;
            }
            Span dlq = owner.tracing
                    .tracer()
                    .spanBuilder("dlq write")
                    .setParent(ctx)
                    .setSpanKind(SpanKind.PRODUCER)
                    .setAttribute("sluice.error_class", errorClass)
                    .setAttribute("messaging.batch.message_count", records)
                    .startSpan();
            return write.onComplete(ar -> {
                if (ar.failed()) {
                    dlq.setStatus(StatusCode.ERROR, ar.cause().toString());
                }
                dlq.end();
            });
        }

        /** The MDC of a log line about {@code records} of this batch (see {@link LogContext}). */
        public LogContext log(List<InRecord> records) {
            return LogContext.of(span, records);
        }

        /** Ends the batch span when {@code run} completes. */
        public <T> Future<T> finish(Future<T> run) {
            if (owner == null) {
                return run;
            }
            return run.onComplete(ar -> {
                if (ar.failed()) {
                    span.setStatus(StatusCode.ERROR, ar.cause().toString());
                }
                span.end();
            });
        }
    }
}
