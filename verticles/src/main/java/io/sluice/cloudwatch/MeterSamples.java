package io.sluice.cloudwatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads a registry's meters as {@link EmfFormat.Sample}s per interval: counters as their increase since the last
 * read ({@code Count}), gauges as their value, timers as {@code .count} (increase), {@code .sum} (increase, ms) and
 * {@code .max} (ms), distribution summaries likewise without a unit. Only meters whose name starts with one of the
 * prefixes. Keeps the last totals: one instance per publisher, one thread at a time.
 */
final class MeterSamples {
    private final List<String> prefixes;
    private final Map<Meter.Id, double[]> last = new HashMap<>();

    MeterSamples(List<String> prefixes) {
        this.prefixes = List.copyOf(prefixes);
    }

    List<EmfFormat.Sample> read(MeterRegistry registry) {
        List<EmfFormat.Sample> out = new ArrayList<>();
        for (Meter m : registry.getMeters()) {
            Meter.Id id = m.getId();
            if (!wanted(id.getName())) {
                continue;
            }
            Map<String, String> dims = new LinkedHashMap<>();
            for (Tag t : id.getTagsAsIterable()) {
                dims.put(t.getKey(), t.getValue());
            }
            String n = id.getName();
            if (m instanceof Counter c) {
                out.add(new EmfFormat.Sample(n, dims, delta(id, 0, c.count()), "Count"));
            } else if (m instanceof FunctionCounter c) {
                out.add(new EmfFormat.Sample(n, dims, delta(id, 0, c.count()), "Count"));
            } else if (m instanceof Gauge g) {
                out.add(new EmfFormat.Sample(n, dims, g.value(), "None"));
            } else if (m instanceof Timer t) {
                out.add(new EmfFormat.Sample(n + ".count", dims, delta(id, 0, t.count()), "Count"));
                out.add(new EmfFormat.Sample(
                        n + ".sum", dims, delta(id, 1, t.totalTime(TimeUnit.MILLISECONDS)), "Milliseconds"));
                out.add(new EmfFormat.Sample(n + ".max", dims, t.max(TimeUnit.MILLISECONDS), "Milliseconds"));
            } else if (m instanceof DistributionSummary d) {
                out.add(new EmfFormat.Sample(n + ".count", dims, delta(id, 0, d.count()), "Count"));
                out.add(new EmfFormat.Sample(n + ".sum", dims, delta(id, 1, d.totalAmount()), "None"));
                out.add(new EmfFormat.Sample(n + ".max", dims, d.max(), "None"));
            }
        }
        return out;
    }

    private boolean wanted(String name) {
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** The increase of total {@code slot} of {@code id} since the last read (the first read: the total). */
    private double delta(Meter.Id id, int slot, double total) {
        double[] prev = last.computeIfAbsent(id, k -> new double[2]);
        double d = total - prev[slot];
        prev[slot] = total;
        return Math.max(0, d);
    }
}
