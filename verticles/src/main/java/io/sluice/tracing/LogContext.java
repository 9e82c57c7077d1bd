package io.sluice.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.sluice.record.InRecord;
import java.util.List;
import org.slf4j.MDC;

/**
 * The MDC of a log line about records: {@code trace_id} and {@code span_id} of the current span (when tracing is
 * on and sampled) and the first record's {@code correlation_id}; the JSON log format writes them as members. Use in
 * try-with-resources around the log call: {@link #close} removes them (event-loop threads are shared).
 */
public final class LogContext implements AutoCloseable {
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";
    public static final String CORRELATION_ID = "correlation_id";
    /** The record header of the correlation id (the producer's {@code correlation-id}). */
    static final String CORRELATION_HEADER = "correlation-id";

    private static final LogContext EMPTY = new LogContext();

    private LogContext() {}

    /** Puts the span's ids and the records' correlation id into the MDC. */
    public static LogContext of(Span span, List<InRecord> records) {
        SpanContext sc = span.getSpanContext();
        boolean any = false;
        if (sc.isValid()) {
            MDC.put(TRACE_ID, sc.getTraceId());
            MDC.put(SPAN_ID, sc.getSpanId());
            any = true;
        }
        String cid =
                records.isEmpty() ? null : Carriers.RECORD.get(records.get(0).headers(), CORRELATION_HEADER);
        if (cid != null) {
            MDC.put(CORRELATION_ID, cid);
            any = true;
        }
        return any ? new LogContext() : EMPTY;
    }

    @Override
    public void close() {
        if (this != EMPTY) {
            MDC.remove(TRACE_ID);
            MDC.remove(SPAN_ID);
            MDC.remove(CORRELATION_ID);
        }
    }
}
