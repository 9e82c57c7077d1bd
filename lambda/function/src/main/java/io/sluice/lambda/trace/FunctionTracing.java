package io.sluice.lambda.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The function's side of a trace. Each target call gets a {@code dispatch} span (CLIENT) whose parent is the first
 * record's {@code traceparent} (the header Sluice's producer wrote; the Kafka event carries record headers as an
 * event source mapping does) and which links to every record's context; the call's HTTP request carries the span's
 * {@code traceparent}. Off ({@link #OFF}, no SDK object): the first record's {@code traceparent} is passed on to
 * the target unchanged, so a downstream tracer still joins the producer's trace. Spans are exported before the
 * invocation returns ({@link #flush}), since Lambda freezes the container between invocations.
 */
public final class FunctionTracing {
    public static final String TRACEPARENT = "traceparent";
    public static final FunctionTracing OFF = new FunctionTracing(null, null, 0L);
    private static final int MAX_LINKS = 128;

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final long flushTimeoutMs;

    private FunctionTracing(SdkTracerProvider provider, Tracer tracer, long flushTimeoutMs) {
        this.provider = provider;
        this.tracer = tracer;
        this.flushTimeoutMs = flushTimeoutMs;
    }

    public static FunctionTracing start(TraceSettings s) {
        if (!s.enabled()) {
            return OFF;
        }
        OtlpHttpSpanExporterBuilder exporter =
                OtlpHttpSpanExporter.builder().setEndpoint(s.endpoint().toString());
        s.headers().forEach(exporter::addHeader);
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), s.serviceName()))))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(s.sampleRatio())))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter.build()).build())
                .build();
        return new FunctionTracing(provider, provider.get("io.sluice.lambda"), s.flushTimeoutMs());
    }

    public boolean enabled() {
        return provider != null;
    }

    /**
     * One target call: {@code send} gets the {@code traceparent} to send (null when there is none) and returns the
     * call; the span ends when it completes (before the returned future does).
     *
     * @param headers the records' raw Kafka-event header lists, in call order
     */
    public CompletableFuture<Void> call(
            String target, List<JsonNode> headers, Function<String, CompletableFuture<Void>> send) {
        if (provider == null) {
            return send.apply(headers.isEmpty() ? null : header(headers.get(0), TRACEPARENT));
        }
        SpanBuilder b = tracer.spanBuilder("dispatch " + target)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("sluice.target", target)
                .setAttribute("messaging.batch.message_count", headers.size());
        SpanContext parent = null;
        int links = 0;
        for (JsonNode h : headers) {
            SpanContext sc = spanContext(h);
            if (!sc.isValid()) {
                continue;
            }
            if (parent == null) {
                parent = sc;
            }
            if (links++ < MAX_LINKS) {
                b.addLink(sc);
            }
            if (links >= MAX_LINKS) {
                break;
            }
        }
        b.setParent(parent == null ? Context.root() : Context.root().with(Span.wrap(parent)));
        Span span = b.startSpan();
        String traceparent = "00-" + span.getSpanContext().getTraceId() + "-"
                + span.getSpanContext().getSpanId() + "-"
                + span.getSpanContext().getTraceFlags().asHex();
        CompletableFuture<Void> f;
        try {
            f = send.apply(traceparent);
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.toString());
            span.end();
            throw e;
        }
        return f.whenComplete((v, err) -> {
            if (err != null) {
                span.setStatus(StatusCode.ERROR, String.valueOf(err.getMessage()));
            }
            span.end();
        });
    }

    /** Exports the invocation's spans (bounded by {@code OTEL_BSP_EXPORT_TIMEOUT}); nothing when off. */
    public void flush() {
        if (provider != null) {
            provider.forceFlush().join(flushTimeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    /** The trace id of a record's {@code traceparent}, for log lines; null when it has none. */
    public static String traceId(JsonNode headers) {
        String tp = header(headers, TRACEPARENT);
        return tp != null && tp.length() >= 35 ? tp.substring(3, 35) : null;
    }

    private static SpanContext spanContext(JsonNode headers) {
        String tp = header(headers, TRACEPARENT);
        if (tp == null) {
            return SpanContext.getInvalid();
        }
        Context c = W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of(TRACEPARENT, tp), MAP);
        return Span.fromContext(c).getSpanContext();
    }

    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    /**
     * The last value of header {@code name} in a Kafka-event header list ({@code [{"name":[bytes...]}]}) as UTF-8,
     * null when absent or malformed (a bad header never fails the record here; the decoder reports it).
     */
    static String header(JsonNode headers, String name) {
        if (headers == null || !headers.isArray()) {
            return null;
        }
        String found = null;
        for (JsonNode entry : headers) {
            JsonNode bytes = entry == null ? null : entry.get(name);
            if (bytes != null && bytes.isBinary()) { // the parser's byte arrays
                found = new String(((BinaryNode) bytes).binaryValue(), StandardCharsets.UTF_8);
                continue;
            }
            if (bytes == null || !bytes.isArray()) {
                continue;
            }
            byte[] b = new byte[bytes.size()];
            for (int i = 0; i < b.length; i++) {
                JsonNode n = bytes.get(i);
                if (!n.canConvertToInt()) {
                    return null;
                }
                b[i] = (byte) n.asInt();
            }
            found = new String(b, StandardCharsets.UTF_8);
        }
        return found;
    }
}
