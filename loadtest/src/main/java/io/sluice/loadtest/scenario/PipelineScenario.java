package io.sluice.loadtest.scenario;

import io.sluice.loadtest.RunOptions;
import io.sluice.loadtest.Scenario;
import io.sluice.loadtest.report.Report;
import io.sluice.loadtest.run.PipelineRun;
import io.sluice.loadtest.run.RunSpec;
import java.util.List;

/**
 * An end-to-end scenario: a {@link RunSpec} made from the options, run by {@link PipelineRun} (which adds the
 * common checks: lost = 0, drained, input accepted), then the scenario's own checks. The batch modes to run come
 * from {@link RunOptions#batchModes}: a scenario made with {@code modesSideBySide} runs {@code fixed} then
 * {@code adaptive} when {@code --batch-mode} is absent, each a full run, reported side by side by
 * {@link SideBySide}; any other runs once at the engine's default unless {@code --batch-mode} is given. The plan
 * sees options narrowed to one mode ({@link RunOptions#batchMode} is {@code fixed}, {@code adaptive} or null) and
 * passes it to {@link RunSpec.Builder#batchMode}.
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
    public record Prepared(RunSpec spec, Checks checks) {}

    private final String name;
    private final String description;
    private final Plan plan;
    private final boolean modesSideBySide;

    /** A scenario run once at the engine's default batch mode unless {@code --batch-mode} says otherwise. */
    public PipelineScenario(String name, String description, Plan plan) {
        this(name, description, plan, false);
    }

    /**
     * @param modesSideBySide true to run the fixed and the adaptive batch mode side by side when
     *                        {@code --batch-mode} is absent
     */
    public PipelineScenario(String name, String description, Plan plan, boolean modesSideBySide) {
        this.name = name;
        this.description = description;
        this.plan = plan;
        this.modesSideBySide = modesSideBySide;
    }

    /** Whether the fixed and the adaptive batch mode run side by side by default. */
    public boolean modesSideBySide() {
        return modesSideBySide;
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
        List<SideBySide.Variant> variants = options.batchModes(modesSideBySide).stream()
                .map(m -> new SideBySide.Variant(null, m))
                .toList();
        SideBySide.run(options, report, variants, (v, o) -> plan.prepare(o));
    }

    /** The spec this scenario runs for {@code options} (narrowed to one batch mode). */
    public RunSpec spec(RunOptions options) {
        return plan.prepare(options).spec();
    }
}
