package io.sluice.tracing;

import io.opentelemetry.api.trace.SpanKind;
import io.sluice.record.InRecord;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code poll} span (CONSUMER): one Kafka poll that returned records, on the poll thread, from the call to
 * the records converted; parent and links from the records (see {@link RecordContexts}).
 */
public final class PollTrace {
    private final Tracing tracing;
    private final String group;

    public PollTrace(Tracing tracing, String group) {
        this.tracing = tracing;
        this.group = group;
    }

    /** The poll's start (epoch nanoseconds); 0 when tracing is off. */
    public long started() {
        return tracing.enabled() ? epochNanos() : 0L;
    }

    /** The poll that began at {@code startNanos} returned {@code records}. */
    public void polled(long startNanos, List<InRecord> records) {
        if (!tracing.enabled() || startNanos == 0L || records.isEmpty()) {
            return;
        }
        RecordContexts.parentAndLinks(
                        tracing,
                        tracing.tracer()
                                .spanBuilder("poll")
                                .setSpanKind(SpanKind.CONSUMER)
                                .setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
                                .setAttribute("messaging.system", "kafka")
                                .setAttribute("messaging.consumer.group.name", group),
                        records)
                .startSpan()
                .end();
    }

    static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }
}
