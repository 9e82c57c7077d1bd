package io.sluice.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The {@code ingest} span: one per HTTP ingest request (SERVER), continuing the request's {@code traceparent} or
 * starting a trace; its context goes to the producer as event-bus headers. Off: {@link Span#getInvalid()}, nothing
 * allocated.
 */
public final class IngestTrace {
    private final Tracing tracing;

    public IngestTrace(Tracing tracing) {
        this.tracing = tracing;
    }

    /** Starts the request's span (invalid when tracing is off). */
    public Span start(HttpServerRequest req, String correlationId) {
        if (!tracing.enabled()) {
            return Span.getInvalid();
        }
        Context parent = tracing.extract(req.headers(), Carriers.MULTI_MAP);
        return tracing.tracer()
                .spanBuilder("ingest")
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", req.method().name())
                .setAttribute("url.path", req.path())
                .setAttribute("sluice.correlation_id", correlationId)
                .startSpan();
    }

    /** The span's context as {@code traceparent}/{@code tracestate} headers of the produce request. */
    public DeliveryOptions inject(Span span, DeliveryOptions opts) {
        if (span.getSpanContext().isValid()) {
            tracing.openTelemetry()
                    .getPropagators()
                    .getTextMapPropagator()
                    .inject(Context.root().with(span), opts, Carriers.DELIVERY_OPTIONS);
        }
        return opts;
    }

    /** Ends the span with the answer's status and event count. */
    public void end(Span span, int status, int events) {
        if (!span.getSpanContext().isValid()) {
            return;
        }
        span.setAttribute("http.response.status_code", status);
        span.setAttribute("sluice.events", events);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }
}
