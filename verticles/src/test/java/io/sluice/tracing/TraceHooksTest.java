package io.sluice.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.sluice.record.InRecord;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;

/** The hooks' two modes: off returns its arguments (no span, no header, no allocation per record); on propagates. */
@Timeout(20)
class TraceHooksTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TP = "00-" + TRACE + "-00f067aa0ba902b7-01";
    private static Tracing on;

    private static com.sun.net.httpserver.HttpServer collector;

    @BeforeAll
    static void start() throws java.io.IOException {
        // a collector that takes every export (the spans' contexts are what is checked here; TraceIT reads the spans)
        collector = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                ex.sendResponseHeaders(200, -1);
            }
        });
        collector.start();
        on = Tracing.start(TracingSettings.on(
                URI.create("http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces")));
    }

    @AfterAll
    static void stop() {
        on.shutdown();
        collector.stop(0);
    }

    private static ProducerRecord<byte[], byte[]> record() {
        return new ProducerRecord<>(
                "t", null, null, "k".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8), null);
    }

    private static InRecord consumed(String traceparent, String correlationId) {
        return new InRecord(
                "t",
                0,
                7,
                1L,
                "CREATE_TIME",
                null,
                "{}".getBytes(StandardCharsets.UTF_8),
                List.of(
                        new InRecord.Header("correlation-id", correlationId.getBytes(StandardCharsets.UTF_8)),
                        new InRecord.Header("traceparent", traceparent.getBytes(StandardCharsets.UTF_8))),
                1,
                System.currentTimeMillis());
    }

    @Test
    void offLeavesEverythingAsItWas() {
        ProducerRecord<byte[], byte[]> r = record();
        ProduceTrace produce = new ProduceTrace(Tracing.OFF);
        produce.start(MultiMap.caseInsensitiveMultiMap().add("traceparent", TP), r, true);
        produce.acked(r, null, null);
        assertThat(r.headers().toArray()).isEmpty();

        assertThat(new IngestTrace(Tracing.OFF).start(null, "c")).isSameAs(Span.getInvalid());
        DeliveryOptions opts = new DeliveryOptions();
        assertThat(new IngestTrace(Tracing.OFF).inject(Span.getInvalid(), opts)).isSameAs(opts);
        assertThat(opts.getHeaders()).isNull();

        DispatchTrace.Batch b = new DispatchTrace(Tracing.OFF, "p", "f").batch(List.of(consumed(TP, "c")));
        assertThat(b).isSameAs(DispatchTrace.Batch.OFF);
        Supplier<Future<Void>> next = Future::succeededFuture;
        assertThat(b.retry(1, 10, "x", next)).isSameAs(next);
        Future<Void> write = Future.succeededFuture();
        assertThat(b.deadLetter(1, "x", write)).isSameAs(write);
        assertThat(b.finish(write)).isSameAs(write);
        assertThat(b.invoke(List.of(), 1)).isSameAs(Span.getInvalid());
        assertThat(new PollTrace(Tracing.OFF, "g").started()).isZero();
    }

    @Test
    void theProduceSpanContinuesTheBusRequestsTraceAndIsWrittenIntoTheRecord() {
        ProducerRecord<byte[], byte[]> r = record();
        ProduceTrace produce = new ProduceTrace(on);
        produce.start(MultiMap.caseInsensitiveMultiMap().add("traceparent", TP), r, true);
        Header[] tps = r.headers().toArray();
        assertThat(tps).hasSize(1);
        String written = new String(tps[0].value(), StandardCharsets.UTF_8);
        assertThat(written).startsWith("00-" + TRACE + "-").endsWith("-01").doesNotContain("00f067aa0ba902b7");
        produce.acked(r, null, null);

        ProducerRecord<byte[], byte[]> spooled = record();
        produce.start(MultiMap.caseInsensitiveMultiMap().add("traceparent", TP), spooled, false);
        assertThat(new String(spooled.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .isEqualTo(TP);

        ProducerRecord<byte[], byte[]> root = record();
        produce.start(MultiMap.caseInsensitiveMultiMap(), root, true);
        assertThat(new String(root.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
                .doesNotContain(TRACE);
        produce.acked(root, null, new IllegalStateException("no ack"));
    }

    @Test
    void aBatchIsAChildOfItsFirstRecordsContextAndItsLogLinesCarryTheIds() {
        String other = "00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-01";
        DispatchTrace.Batch b =
                new DispatchTrace(on, "p", "f").batch(List.of(consumed(TP, "corr-1"), consumed(other, "corr-2")));
        assertThat(b).isNotSameAs(DispatchTrace.Batch.OFF);
        try (LogContext log = b.log(List.of(consumed(TP, "corr-1")))) {
            assertThat(MDC.get(LogContext.TRACE_ID)).isEqualTo(TRACE);
            assertThat(MDC.get(LogContext.SPAN_ID)).matches("[0-9a-f]{16}");
            assertThat(MDC.get(LogContext.CORRELATION_ID)).isEqualTo("corr-1");
        }
        assertThat(MDC.get(LogContext.TRACE_ID)).isNull();
        assertThat(MDC.get(LogContext.CORRELATION_ID)).isNull();
        Span invoke = b.invoke(List.of(consumed(TP, "c")), 1);
        assertThat(invoke.getSpanContext().getTraceId()).isEqualTo(TRACE);
        b.invoked(invoke, null, new RuntimeException("x"), "throttled");
        b.finish(Future.succeededFuture());
    }

    @Test
    void logLinesCarryTheCorrelationIdWithTracingOff() {
        try (LogContext log = DispatchTrace.Batch.OFF.log(List.of(consumed(TP, "corr-9")))) {
            assertThat(MDC.get(LogContext.CORRELATION_ID)).isEqualTo("corr-9");
            assertThat(MDC.get(LogContext.TRACE_ID)).isNull();
        }
        assertThat(MDC.get(LogContext.CORRELATION_ID)).isNull();
    }
}
