package io.sluice.tracing;

import io.sluice.cloudwatch.CloudWatchSettings;
import io.sluice.config.Cfg;
import io.sluice.config.Key;
import io.sluice.config.Section;

/**
 * The telemetry sections of the configuration: {@code tracing} ({@link TracingSettings}) and
 * {@code metrics.cloudwatch} ({@link CloudWatchSettings}). Both off by default.
 */
public record TelemetrySettings(TracingSettings tracing, CloudWatchSettings cloudwatch) {

    public static TelemetrySettings off() {
        return new TelemetrySettings(TracingSettings.off(), CloudWatchSettings.off());
    }

    /** {@code tracing}. */
    public static final Key<Cfg> TRACING = Key.object("tracing", TracingSettings.SECTION);

    private static final Key<Cfg> CLOUDWATCH = Key.object("cloudwatch", CloudWatchSettings.SECTION);
    /** {@code metrics}. */
    public static final Key<Cfg> METRICS =
            Key.object("metrics", Section.of("metrics beside Prometheus's /metrics", CLOUDWATCH));

    /** Reads {@code tracing} and {@code metrics} from the root of the configuration. */
    public static TelemetrySettings from(Cfg root) {
        TracingSettings tracing = TracingSettings.from(root.get(TRACING));
        Cfg metrics = root.get(METRICS);
        CloudWatchSettings cw = CloudWatchSettings.from(metrics.get(CLOUDWATCH));
        metrics.done();
        return new TelemetrySettings(tracing, cw);
    }
}
