package io.sluice.cloudwatch;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.List;

/**
 * Writes the registry's meters as EMF lines every {@code intervalMs} (see {@link EmfFormat}): meters are read on a
 * timer, the lines printed on a worker thread (standard output may block). CloudWatch Logs extracts the metrics
 * where standard output is shipped to it (Lambda, ECS with awslogs, the CloudWatch agent).
 */
public final class EmfPublisher {
    private final Vertx vertx;
    private final CloudWatchSettings settings;
    private final MeterRegistry registry;
    private final PrintStream out;
    private final MeterSamples samples;
    private long timer = -1;

    public EmfPublisher(Vertx vertx, CloudWatchSettings settings, MeterRegistry registry, PrintStream out) {
        this.vertx = vertx;
        this.settings = settings;
        this.registry = registry;
        this.out = out;
        this.samples = new MeterSamples(settings.prefixes());
    }

    /** Starts the timer when {@code metrics.cloudwatch.enabled}; returns this. */
    public EmfPublisher start() {
        if (settings.enabled()) {
            timer = vertx.setPeriodic(settings.intervalMs(), id -> publish());
        }
        return this;
    }

    /** One round now: the lines, also printed. */
    public List<String> publish() {
        List<String> lines = EmfFormat.lines(settings.namespace(), System.currentTimeMillis(), samples.read(registry));
        vertx.executeBlocking(
                () -> {
                    for (String l : lines) {
                        out.println(l);
                    }
                    out.flush();
                    return null;
                },
                true);
        return lines;
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
