package io.sluice.loadtest.scenario;

import io.sluice.loadtest.RunOptions;
import io.sluice.loadtest.Scenario;
import io.sluice.loadtest.report.Report;
import io.sluice.loadtest.run.PipelineRun;
import io.sluice.loadtest.run.RunSpec;
import io.sluice.loadtest.run.Timeline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's incident: the function's latency rises to 950 ms (fixed, {@code --lambda-latency-ms}) under
 * 13,000 msg/s of Pareto-keyed input on 12 partitions ({@code --rate}). Runs {@code partition} ordering (one
 * batch in flight per partition, what an event source mapping does) and then {@code key} ordering (8 lanes
 * per partition), each a full end-to-end run of {@code --duration} seconds (default 120) with its own broker
 * and Sluice process, or only the one named by {@code --ordering}. Each run drains and accounts for every
 * event (a mode that falls behind drains its backlog after the load, bounded at 10 minutes). The report's
 * main fields are those of the key run (or the only run); {@code modes} has both and {@code ratioKeyToPartition}
 * compares the delivered rates over the second half of the load.
 */
public final class SlowLambdaScenario implements Scenario {
    public static final String NAME = "slow-lambda";
    private static final long DEFAULT_LATENCY_MS = 950;
    private static final int LANES = 8;
    private static final int PARTITIONS = 12;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "fixed Lambda latency (--lambda-latency-ms, default 950) at --rate (default 13000/s) 80/20-keyed input, "
                + "12 partitions: partition vs key ordering (--ordering for one), delivered rate and lag";
    }

    @Override
    public void run(RunOptions options, Report report) throws Exception {
        long latencyMs = options.lambdaLatencyMs() == null ? DEFAULT_LATENCY_MS : options.lambdaLatencyMs();
        int seconds = options.durationOr(120);
        List<String> modes = options.ordering() == null ? List.of("partition", "key") : List.of(options.ordering());
        report.durationSeconds(seconds);
        report.extra("lambdaLatencyMs", latencyMs);
        JsonArray results = new JsonArray();
        List<JsonObject> byMode = new ArrayList<>();
        for (String mode : modes) {
            RunSpec spec = RunSpec.builder("slow-lambda-" + mode).rate(options.rateOr(13_000)).loadSeconds(seconds)
                    .ordering(mode).lambdaLatencyMs(latencyMs).partitions(PARTITIONS)
                    .pipeline(new JsonObject().put("lanes", LANES)
                            .put("batch", new JsonObject().put("maxRecords", 500)) // the seed's incident
                            .put("inFlight", new JsonObject().put("maxRecords", 200_000).put("maxBytes", 256L * 1024 * 1024))
                            .put("lambda", new JsonObject().put("maxConcurrency", PARTITIONS * LANES)))
                    .drainTimeout(Duration.ofMinutes(10)).build();
            boolean last = mode.equals(modes.get(modes.size() - 1));
            Report target = last ? report : new Report(NAME, seconds);
            RunOptions modeOptions = new RunOptions(options.scenario(), seconds, options.rate(), options.out().resolve(mode),
                    latencyMs, mode);
            PipelineRun.Outcome out = PipelineRun.run(spec, modeOptions, target);
            Timeline.Window half = Timeline.window(out.timeline().between(seconds / 2.0, seconds + 0.5));
            JsonObject r = new JsonObject().put("ordering", mode)
                    .put("producedPerSecond", Report.round(half.producedPerSec(), 1))
                    .put("deliveredPerSecond", Report.round(half.deliveredPerSec(), 1))
                    .put("backlogSlopePerSecond", Report.round(half.backlogSlopePerSec(), 1))
                    .put("producedAccepted", out.accepted()).put("deliveredUnique", out.deliveredUnique())
                    .put("duplicates", out.duplicates()).put("inDlq", out.inDlq()).put("lost", out.lost())
                    .put("orderViolations", out.orderViolations()).put("latencyP99Ms", out.latency().p99())
                    .put("drainSeconds", Report.round(out.drainSeconds(), 1));
            results.add(r);
            byMode.add(r);
            if (!last) {
                target.checks().forEach(c -> report.check(mode + ": " + c.name(), c.passed(), c.detail()));
                target.write(modeOptions.out());
            }
            String prefix = modes.size() > 1 ? mode + ": " : "";
            report.check(prefix + "per-key order kept", out.orderViolations() == 0, out.orderViolations() + " violations");
            if (mode.equals("key")) {
                EndToEndScenarios.keepsUp(report, out.timeline(), seconds / 2.0, seconds + 0.5, "key ordering, second half");
            }
        }
        report.extra("modes", results);
        if (byMode.size() == 2) {
            double part = byMode.get(0).getDouble("deliveredPerSecond");
            double key = byMode.get(1).getDouble("deliveredPerSecond");
            report.extra("ratioKeyToPartition", part <= 0 ? null : Report.round(key / part, 2));
        }
    }
}
