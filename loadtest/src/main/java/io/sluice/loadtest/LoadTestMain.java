package io.sluice.loadtest;

import io.sluice.loadtest.report.Machine;
import io.sluice.loadtest.report.Report;
import io.sluice.loadtest.report.ResourceSampler;
import io.sluice.loadtest.scenario.TracingSideBySide;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the load-test runner:
 * {@code java -jar loadtest/target/sluice-loadtest.jar --scenario producer-baseline --duration 30 --out DIR}.
 * Writes {@code DIR/report.json} (see {@link Report} for the contract). Exit codes: 0 every check passed,
 * 1 a check failed (the report is still written), 2 bad arguments, 3 the scenario crashed (a report with
 * a failed {@code scenario-completed} check is written when possible).
 */
public final class LoadTestMain {
    private static final Logger LOG = LoggerFactory.getLogger(LoadTestMain.class);

    private LoadTestMain() {}

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--list") || args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(RunOptions.USAGE);
            Scenarios.all()
                    .forEach((name, f) ->
                            System.out.printf("  %-22s %s%n", name, f.get().description()));
            return;
        }
        RunOptions options;
        Scenario scenario;
        try {
            options = RunOptions.parse(args);
            RunOptions o = options;
            scenario = Scenarios.byName(options.scenario())
                    .orElseThrow(() -> new IllegalArgumentException("--scenario: unknown '" + o.scenario()
                            + "', known: " + String.join(", ", Scenarios.all().keySet())));
        } catch (IllegalArgumentException e) {
            System.err.println("sluice-loadtest: " + e.getMessage());
            System.err.println(RunOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(scenario, options));
    }

    /**
     * Runs a scenario and writes its report; returns the exit code. {@code --tracing both}: the scenario off, then
     * on, the comparison in the on run's report ({@link TracingSideBySide}); the worse exit code.
     */
    public static int run(Scenario scenario, RunOptions options) {
        if (RunOptions.BOTH.equals(options.tracing())) {
            RunOptions offRun = TracingSideBySide.offRun(options);
            int off = run(scenario, offRun, r -> {});
            JsonObject offReport;
            try {
                offReport = new JsonObject(
                        java.nio.file.Files.readString(offRun.out().resolve("report.json")));
            } catch (java.io.IOException | RuntimeException e) {
                offReport = new JsonObject();
            }
            JsonObject offJson = offReport;
            int on = run(
                    scenario,
                    TracingSideBySide.onRun(options),
                    r -> r.extra("tracing", TracingSideBySide.compare(offJson, r.toJson())));
            return Math.max(off, on);
        }
        return run(scenario, options, r -> {});
    }

    private static int run(Scenario scenario, RunOptions options, java.util.function.Consumer<Report> beforeWrite) {
        Report report = new Report(scenario.name(), options.durationSeconds());
        report.extra("machine", Machine.describe());
        double loadBefore = Machine.loadAverage();
        int code;
        try (ResourceSampler sampler = ResourceSampler.start()) {
            try {
                scenario.run(options, report);
                code = report.passed() ? 0 : 1;
            } catch (Exception | Error e) {
                LOG.error("Scenario {} failed", scenario.name(), e);
                report.check("scenario-completed", false, e.toString());
                code = 3;
            }
            if (!report.hasMemory()) { // a scenario running Sluice in this JVM leaves it to the runner's own peaks
                report.memory(sampler.peakHeapMb(), sampler.peakRssMb());
            }
        }
        report.extra(
                "loadAverage",
                new io.vertx.core.json.JsonObject().put("start", loadBefore).put("end", Machine.loadAverage()));
        beforeWrite.accept(report);
        try {
            Path file = report.write(options.out());
            System.out.println(report.toJson().encodePrettily());
            System.out.println(
                    "report: " + file.toAbsolutePath() + " (" + (report.passed() ? "passed" : "FAILED") + ")");
        } catch (Exception e) {
            System.err.println("sluice-loadtest: cannot write the report to " + options.out() + ": " + e);
            return 3;
        }
        return code;
    }
}
