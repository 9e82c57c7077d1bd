package io.sluice.loadtest;

import io.sluice.loadtest.report.Report;

/**
 * One load-test scenario. To add one: implement this, register it in {@link Scenarios}. A scenario fills
 * only the report fields it measures (the others stay null) and adds its checks; the runner writes
 * {@code report.json}.
 */
public interface Scenario {

    /** The name given to {@code --scenario}, lower-case and dashed. */
    String name();

    /** One line for {@code --list}. */
    String description();

    /**
     * Runs the scenario; everything it starts (brokers, Vert.x, child processes) is stopped before it returns.
     *
     * @param options the run options
     * @param report  a report with {@code scenario} and {@code durationSeconds} set; fill what is measured
     */
    void run(RunOptions options, Report report) throws Exception;
}
