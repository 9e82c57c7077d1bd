package io.sluice.loadtest.scenario;

import io.sluice.loadtest.RunOptions;
import io.sluice.loadtest.report.Report;
import io.vertx.core.json.JsonObject;

/**
 * {@code --tracing both}: the comparison {@code report.json} carries as {@code tracing}, from the off run's report
 * and the on run's: per side {@code microsPerEventSluice} (the measured load's window,
 * {@code cpu.window.microsPerEvent.sluice}), {@code deliveredPerSecond}, {@code latencyP99Ms}, {@code passed}, and
 * {@code cpuRatio} = on / off. Pure: reads the two reports' JSON.
 */
public final class TracingSideBySide {
    private TracingSideBySide() {}

    /** The options of the off run: its report in {@code OUT/tracing-off/}. */
    public static RunOptions offRun(RunOptions both) {
        return both.withTracing("off").withOut(both.out().resolve("tracing-off"));
    }

    /** The options of the on run (the primary: its report is {@code OUT/report.json}). */
    public static RunOptions onRun(RunOptions both) {
        return both.withTracing("on");
    }

    public static JsonObject compare(JsonObject off, JsonObject on) {
        JsonObject a = side(off);
        JsonObject b = side(on);
        Double ratio = a.getDouble("microsPerEventSluice") == null
                        || b.getDouble("microsPerEventSluice") == null
                        || a.getDouble("microsPerEventSluice") == 0
                ? null
                : Report.round(b.getDouble("microsPerEventSluice") / a.getDouble("microsPerEventSluice"), 3);
        return new JsonObject()
                .put("off", a)
                .put("on", b)
                .put("cpuRatio", ratio)
                .put(
                        "note",
                        "Sluice CPU (user + system) per event over the measured load window; on = spans of every "
                                + "poll, batch and invocation exported over OTLP/HTTP to a sink in the runner, every input record "
                                + "carrying a sampled traceparent (parent-based sampling: all sampled)");
    }

    private static JsonObject side(JsonObject report) {
        JsonObject window = report.getJsonObject("cpu", new JsonObject()).getJsonObject("window", new JsonObject());
        Object micros = window.getJsonObject("microsPerEvent", new JsonObject()).getValue("sluice");
        return new JsonObject()
                .put("microsPerEventSluice", micros instanceof Number n ? n.doubleValue() : null)
                .put("deliveredPerSecond", report.getValue("deliveredPerSecond"))
                .put(
                        "latencyP99Ms",
                        report.getJsonObject("latencyMs", new JsonObject()).getValue("p99"))
                .put("passed", report.getValue("passed"))
                .put("otlp", report.getValue("otlp"));
    }
}
