package io.sluice.loadtest.scenario;

import io.sluice.loadtest.RunOptions;
import io.sluice.loadtest.Scenario;
import io.sluice.loadtest.report.Report;
import io.sluice.loadtest.run.RunSpec;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The seed's incident: the function's latency rises to 950 ms (fixed, {@code --lambda-latency-ms}) under
 * 13,000 msg/s of Pareto-keyed input on 12 partitions ({@code --rate}). Runs orderings × batch modes, one after
 * the other, each a full end-to-end run of {@code --duration} seconds (default 120) with its own broker and
 * Sluice process ({@link SideBySide}): {@code partition} ordering (one batch in flight per partition, what an
 * event source mapping does) then {@code key} ordering (8 lanes per partition), each in the {@code fixed} then the
 * {@code adaptive} batch mode, so 4 runs by default; {@code --ordering} and {@code --batch-mode} narrow either
 * list. Each run drains and accounts for every event (a mode that falls behind drains its backlog after the load,
 * bounded at 10 minutes).
 *
 * <p>Pipeline overrides: 8 lanes, {@code lambda.maxConcurrency} 96 and an in-flight bound of 200,000 records /
 * 256 MB apply to every run; the seed's {@code batch.maxRecords: 500} applies to the fixed mode only (the adaptive
 * mode keeps its own ceilings, or the comparison would measure the cap and not the policy).
 *
 * <p>The report's main fields are those of the last run (key ordering, adaptive mode, or the last one left by the
 * options); {@code modes} has a row per run, {@code ratios} adaptive / fixed for the key ordering
 * ({@code ratiosByOrdering} for each), and {@code ratioKeyToPartition} compares the delivered rates over the
 * second half of the load of the two orderings in the primary's batch mode. The other runs' reports are in
 * {@code OUT/<mode>/<ordering>/} ({@code OUT/<ordering>/} when one mode runs, {@code OUT/<mode>/} when one
 * ordering does).
 */
public final class SlowLambdaScenario implements Scenario {
    public static final String NAME = "slow-lambda";
    private static final long DEFAULT_LATENCY_MS = 950;
    private static final int LANES = 8;
    private static final int PARTITIONS = 12;
    /** The seed's incident's batch cap, for the fixed mode. */
    static final int FIXED_MAX_RECORDS = 500;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "fixed Lambda latency (--lambda-latency-ms, default 950) at --rate (default 13000/s) 80/20-keyed input, "
                + "12 partitions: partition vs key ordering x fixed vs adaptive batch mode, 4 runs (--ordering, "
                + "--batch-mode for fewer), delivered rate and lag";
    }

    @Override
    public void run(RunOptions options, Report report) throws Exception {
        long latencyMs = options.lambdaLatencyMs() == null ? DEFAULT_LATENCY_MS : options.lambdaLatencyMs();
        int seconds = options.durationOr(120);
        List<String> orderings = options.ordering() == null ? List.of("partition", "key") : List.of(options.ordering());
        report.durationSeconds(seconds);
        report.extra("lambdaLatencyMs", latencyMs);
        List<SideBySide.Result> results = SideBySide.run(
                options,
                report,
                SideBySide.variants(orderings, options.batchModes(true)),
                (v, o) -> new PipelineScenario.Prepared(spec(v, o, latencyMs, seconds), (s, out, r) -> {
                    r.check("per-key order kept", out.orderViolations() == 0, out.orderViolations() + " violations");
                    if (s.ordering().equals("key")) {
                        EndToEndScenarios.keepsUp(
                                r, out.timeline(), seconds / 2.0, seconds + 0.5, "key ordering, second half");
                    }
                }));
        String primaryMode = results.get(results.size() - 1).variant().batchMode();
        Double partition = null;
        Double key = null;
        for (SideBySide.Result r : results) {
            if (Objects.equals(r.variant().batchMode(), primaryMode)) {
                double delivered = r.row().getDouble("deliveredPerSecond");
                if (r.variant().ordering().equals("partition")) {
                    partition = delivered;
                } else {
                    key = delivered;
                }
            }
        }
        if (partition != null && key != null) {
            report.extra("ratioKeyToPartition", partition <= 0 ? null : Report.round(key / partition, 2));
        }
    }

    /** The spec of one run: {@code batch.maxRecords} 500 in the fixed mode only (see the class comment). */
    static RunSpec spec(SideBySide.Variant v, RunOptions o, long latencyMs, int seconds) {
        String name = "slow-lambda-" + v.ordering() + (v.batchMode() == null ? "" : "-" + v.batchMode());
        JsonObject pipeline = new JsonObject()
                .put("lanes", LANES)
                .put("inFlight", new JsonObject().put("maxRecords", 200_000).put("maxBytes", 256L * 1024 * 1024))
                .put("lambda", new JsonObject().put("maxConcurrency", PARTITIONS * LANES));
        if (RunOptions.FIXED.equals(v.batchMode())) {
            pipeline.put("batch", new JsonObject().put("maxRecords", FIXED_MAX_RECORDS)); // the seed's incident
        }
        return RunSpec.builder(name)
                .rate(o.rateOr(13_000))
                .loadSeconds(seconds)
                .ordering(v.ordering())
                .batchMode(v.batchMode())
                .lambdaLatencyMs(latencyMs)
                .partitions(PARTITIONS)
                .pipeline(pipeline)
                .drainTimeout(Duration.ofMinutes(10))
                .build();
    }
}
