package io.sluice.tracing;

import io.sluice.cloudwatch.CloudWatchSettings;
import io.sluice.config.Cfg;

/**
 * The telemetry sections of the configuration: {@code tracing} ({@link TracingSettings}) and
 * {@code metrics.cloudwatch} ({@link CloudWatchSettings}). Both off by default.
 */
public record TelemetrySettings(TracingSettings tracing, CloudWatchSettings cloudwatch) {

    public static TelemetrySettings off() {
        return new TelemetrySettings(TracingSettings.off(), CloudWatchSettings.off());
    }

    /** Reads {@code tracing} and {@code metrics} from the root of the configuration. */
    public static TelemetrySettings from(Cfg root) {
        TracingSettings tracing = TracingSettings.from(root.child("tracing"));
        Cfg metrics = root.child("metrics");
        CloudWatchSettings cw = CloudWatchSettings.from(metrics.child("cloudwatch"));
        metrics.done();
        return new TelemetrySettings(tracing, cw);
    }
}
