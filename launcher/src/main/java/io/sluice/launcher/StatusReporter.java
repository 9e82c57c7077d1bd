package io.sluice.launcher;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.util.Locale;

/** One human line of counts, printed on an interval: produced / delivered / committed / DLQ / in flight. */
final class StatusReporter {
    private final MeterRegistry registry;
    private long lastProduced;
    private long lastDelivered;
    private long lastAt = System.nanoTime();

    StatusReporter(MeterRegistry registry) {
        this.registry = registry;
    }

    String line() {
        long produced = (long) sum(registry.find("sluice.producer.results").tag("result", "accepted"));
        long delivered = (long) sum(registry.find("sluice.dispatch.records.delivered"));
        long committed = (long) sum(registry.find("sluice.consumer.records.committed"));
        long dlq = (long) sum(registry.find("sluice.dispatch.records.dlq"));
        long spooled = (long) sum(registry.find("sluice.producer.results").tag("result", "spooled"));
        long rejected = (long) (sum(registry.find("sluice.producer.results")) - produced - spooled);
        double inflight = registry.find("sluice.consumer.inflight.records").gauges().stream()
                .mapToDouble(g -> g.value())
                .sum();
        boolean paused =
                registry.find("sluice.consumer.paused").gauges().stream().anyMatch(g -> g.value() > 0);
        long now = System.nanoTime();
        double secs = Math.max(1e-3, (now - lastAt) / 1e9);
        String s = String.format(
                Locale.ROOT,
                "produced=%d (%.0f/s)%s delivered=%d (%.0f/s) committed=%d dlq=%d rejected=%d inflight=%.0f%s",
                produced,
                (produced - lastProduced) / secs,
                spooled > 0 ? " spooled=" + spooled : "",
                delivered,
                (delivered - lastDelivered) / secs,
                committed,
                dlq,
                rejected,
                inflight,
                paused ? " PAUSED" : "");
        lastProduced = produced;
        lastDelivered = delivered;
        lastAt = now;
        return s;
    }

    private static double sum(Search s) {
        return s.counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
