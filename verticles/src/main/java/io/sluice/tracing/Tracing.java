package io.sluice.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sluice's tracing: {@link #OFF} (the default: {@link OpenTelemetry#noop()}, no SDK object) or an OpenTelemetry
 * SDK exporting over OTLP/HTTP. One instance per Vert.x instance ({@link #install}); the verticles read it once
 * at start ({@link #of}) and hand it to their hook classes ({@link IngestTrace}, {@link ProduceTrace},
 * {@link PollTrace}, {@link DispatchTrace}), whose methods return at once when {@link #enabled()} is false.
 * Trace context crosses Kafka in W3C {@code traceparent} / {@code tracestate} record headers.
 */
public final class Tracing {
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    /** The instrumentation scope of Sluice's spans. */
    public static final String SCOPE = "io.sluice";

    public static final Tracing OFF = new Tracing(OpenTelemetry.noop(), null, 0);

    private static final Map<Vertx, Tracing> INSTALLED = Collections.synchronizedMap(new WeakHashMap<>());

    private final boolean enabled;
    private final OpenTelemetry otel;
    private final Tracer tracer;
    private final SdkTracerProvider provider;
    private final int maxLinks;

    private Tracing(OpenTelemetry otel, SdkTracerProvider provider, int maxLinks) {
        this.enabled = provider != null;
        this.otel = otel;
        this.tracer = otel.getTracer(SCOPE);
        this.provider = provider;
        this.maxLinks = maxLinks;
    }

    /** {@link #OFF} when the settings disable tracing, else an SDK exporting to their endpoint. */
    public static Tracing start(TracingSettings s) {
        if (!s.enabled()) {
            return OFF;
        }
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(s.endpoint().toString())
                .setTimeout(Duration.ofMillis(s.exportTimeoutMs()));
        s.headers().forEach(exporter::addHeader);
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(Attributes.of(
                                io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), s.serviceName()))))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(s.sampleRatio())))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter.build())
                        .setMaxQueueSize(s.maxQueueSize())
                        .setScheduleDelay(Duration.ofMillis(200))
                        .build())
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(provider)
                .setPropagators(io.opentelemetry.context.propagation.ContextPropagators.create(
                        W3CTraceContextPropagator.getInstance()))
                .build();
        return new Tracing(sdk, provider, s.maxLinks());
    }

    /** Makes {@code tracing} the one {@link #of(Vertx)} answers for {@code vertx}. */
    public static void install(Vertx vertx, Tracing tracing) {
        INSTALLED.put(vertx, tracing);
    }

    /** The tracing installed for {@code vertx}, {@link #OFF} when none is. */
    public static Tracing of(Vertx vertx) {
        Tracing t = vertx == null ? null : INSTALLED.get(vertx);
        return t == null ? OFF : t;
    }

    /** Forgets {@code vertx}'s tracing and flushes and shuts it down (blocking, bounded: call off the event loop). */
    public static void uninstall(Vertx vertx) {
        Tracing t = INSTALLED.remove(vertx);
        if (t != null) {
            t.shutdown();
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public OpenTelemetry openTelemetry() {
        return otel;
    }

    Tracer tracer() {
        return tracer;
    }

    int maxLinks() {
        return maxLinks;
    }

    /** Exports what is queued (blocking, bounded by 10 s). */
    public void flush() {
        if (provider != null) {
            provider.forceFlush().join(10, TimeUnit.SECONDS);
        }
    }

    /** Flushes and stops the exporter (blocking, bounded by 10 s). */
    public void shutdown() {
        if (provider != null) {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    /** The context carried by {@code carrier} ({@code traceparent}/{@code tracestate}); root when it has none. */
    <C> Context extract(C carrier, TextMapGetter<C> getter) {
        return otel.getPropagators().getTextMapPropagator().extract(Context.root(), carrier, getter);
    }

    /** The span context carried by {@code carrier}, invalid when it has none. */
    <C> SpanContext spanContext(C carrier, TextMapGetter<C> getter) {
        return Span.fromContext(extract(carrier, getter)).getSpanContext();
    }
}
