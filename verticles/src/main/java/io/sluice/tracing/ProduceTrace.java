package io.sluice.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.vertx.core.MultiMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The {@code produce} span (PRODUCER): from the producer taking the event to Kafka's acknowledgement (the ack
 * latency), child of the event-bus request's {@code traceparent} (the ingest span, or any verticle's) or a new
 * trace. Its context is written into the record's {@code traceparent} header, so the consumer and the function
 * continue the trace. A record the spool takes carries the parent's context (no span: the spool answers later).
 * One instance per producer verticle, used on its event loop only.
 */
public final class ProduceTrace {
    private final Tracing tracing;
    private final Map<ProducerRecord<byte[], byte[]>, Span> open = new IdentityHashMap<>();

    public ProduceTrace(Tracing tracing) {
        this.tracing = tracing;
    }

    /**
     * The record is about to be sent ({@code spanToAck}: its completion will call {@link #acked}) or spooled.
     */
    public void start(MultiMap busHeaders, ProducerRecord<byte[], byte[]> record, boolean spanToAck) {
        if (!tracing.enabled() || record == null) {
            return;
        }
        Context parent = tracing.extract(busHeaders, Carriers.MULTI_MAP);
        Context carried = parent;
        if (spanToAck) {
            Span span = tracing.tracer()
                    .spanBuilder("produce")
                    .setParent(parent)
                    .setSpanKind(SpanKind.PRODUCER)
                    .setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.destination.name", record.topic())
                    .startSpan();
            open.put(record, span);
            carried = parent.with(span);
        }
        tracing.openTelemetry()
                .getPropagators()
                .getTextMapPropagator()
                .inject(carried, record.headers(), Carriers.KAFKA_SET);
    }

    /** Kafka answered for the record: ends its span. */
    public void acked(ProducerRecord<byte[], byte[]> record, RecordMetadata md, Throwable err) {
        if (!tracing.enabled()) {
            return;
        }
        Span span = open.remove(record);
        if (span == null) {
            return;
        }
        if (err != null) {
            span.setStatus(StatusCode.ERROR, err.toString());
        } else if (md != null) {
            span.setAttribute("messaging.destination.partition.id", Integer.toString(md.partition()));
            span.setAttribute("messaging.kafka.offset", md.offset());
        }
        span.end();
    }
}
