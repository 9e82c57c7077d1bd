package io.sluice.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.sluice.record.InRecord;
import java.util.List;

/**
 * A consumer-side span over many records (a poll, a batch, an invocation) has many parents: its parent is the
 * first record's context that has one (so a single event's trace is one tree) and it links to each record's
 * context, up to {@code maxLinks}.
 */
final class RecordContexts {
    private RecordContexts() {}

    /** Sets {@code b}'s parent and links from {@code records}' {@code traceparent} headers; root when none has one. */
    static SpanBuilder parentAndLinks(Tracing tracing, SpanBuilder b, List<InRecord> records) {
        SpanContext parent = null;
        int links = 0;
        for (InRecord r : records) {
            if (links >= tracing.maxLinks() && parent != null) {
                break;
            }
            SpanContext sc = tracing.spanContext(r.headers(), Carriers.RECORD);
            if (!sc.isValid()) {
                continue;
            }
            if (parent == null) {
                parent = sc;
            }
            if (links < tracing.maxLinks()) {
                b.addLink(sc);
                links++;
            }
        }
        b.setParent(parent == null ? Context.root() : Context.root().with(Span.wrap(parent)));
        b.setAttribute("messaging.batch.message_count", records.size());
        return b;
    }
}
