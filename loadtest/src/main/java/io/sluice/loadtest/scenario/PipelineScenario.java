package io.sluice.loadtest.scenario;

import io.sluice.loadtest.RunOptions;
import io.sluice.loadtest.Scenario;
import io.sluice.loadtest.report.Report;
import io.sluice.loadtest.run.PipelineRun;
import io.sluice.loadtest.run.RunSpec;

/**
 * An end-to-end scenario: a {@link RunSpec} made from the options, run by {@link PipelineRun} (which adds the
 * common checks: lost = 0, drained, input accepted), then the scenario's own checks.
 */
public final class PipelineScenario implements Scenario {

    /** Makes the spec (and anything the checks need) from the options. */
    @FunctionalInterface
    public interface Plan {
        Prepared prepare(RunOptions options);
    }

    /** Adds the scenario's checks and extra report keys. */
    @FunctionalInterface
    public interface Checks {
        void add(RunSpec spec, PipelineRun.Outcome outcome, Report report);
    }

    /** A spec with its checks. */
    public record Prepared(RunSpec spec, Checks checks) {
    }

    private final String name;
    private final String description;
    private final Plan plan;

    public PipelineScenario(String name, String description, Plan plan) {
        this.name = name;
        this.description = description;
        this.plan = plan;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void run(RunOptions options, Report report) throws Exception {
        Prepared p = plan.prepare(options);
        report.durationSeconds(p.spec().loadSeconds());
        PipelineRun.Outcome outcome = PipelineRun.run(p.spec(), options, report);
        p.checks().add(p.spec(), outcome, report);
    }
}
