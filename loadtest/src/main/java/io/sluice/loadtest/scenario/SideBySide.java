package io.sluice.loadtest.scenario;

import io.sluice.loadtest.RunOptions;
import io.sluice.loadtest.report.KeyLatencySplit;
import io.sluice.loadtest.report.Report;
import io.sluice.loadtest.run.PipelineRun;
import io.sluice.loadtest.run.RunSpec;
import io.sluice.loadtest.run.Timeline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Runs several variants of one end-to-end scenario one after the other (an ordering and a batch mode each; every
 * variant is a full {@link PipelineRun} with its own broker and Sluice process) and reports them side by side in
 * the one {@code report.json}. The last variant is the primary one: it fills the report's contract fields and
 * checks directly (the callers put the adaptive mode, and in {@code slow-lambda} the key ordering, last). Every
 * other variant writes its own report to {@code OUT/<label>/} (e.g. {@code OUT/fixed/}, or
 * {@code OUT/fixed/partition/} when orderings vary too) and is merged into the main report ({@link #merge}):
 *
 * <ul>
 *   <li>{@code modes}: one row per variant in run order ({@link #row}): {@code mode, ordering, producedPerSecond,
 *   deliveredPerSecond, backlogSlopePerSecond} (second half of the load), {@code latencyP99Ms,
 *   invocationsPerMillion} (the whole measured load), {@code producedAccepted, deliveredUnique, lost, duplicates,
 *   inDlq, orderViolations, drainSeconds, passed}, and {@code hotKeyP99Ms, otherKeysP99Ms} when the run has a hot
 *   key;</li>
 *   <li>{@code ratios}: adaptive / fixed of {@code delivered} (delivered per second over the second half),
 *   {@code p99} and {@code invocationsPerMillion}, for the primary's ordering, when both modes ran for it (a
 *   number is null when either side is missing or the fixed one is 0); with several orderings also
 *   {@code ratiosByOrdering} ({@code {ordering: ratios}});</li>
 *   <li>checks: each check of another variant as {@code "<label>: NAME"}, counting towards {@code passed},
 *   except a fixed-mode check made with {@link Report#targetCheck} (a performance goal today's engine is known to
 *   miss), which goes to {@code targets} instead as {@code {"name": "<label>: NAME", "met", "detail",
 *   "fromCheck": true}} and never fails the run;</li>
 *   <li>{@code targets}: the primary's, then each other variant's, named {@code "<label>: NAME"}.</li>
 * </ul>
 *
 * A single variant without a batch mode (a scenario run at the engine's default) is exactly a plain run: its
 * files in {@code OUT}, no {@code modes}.
 */
public final class SideBySide {

    /**
     * One variant.
     *
     * @param ordering  {@code partition} or {@code key}, or null for the scenario's own choice
     * @param batchMode {@code fixed} or {@code adaptive}, or null for the engine's default
     */
    public record Variant(String ordering, String batchMode) {}

    /** Makes one variant's spec and checks; {@code options} are narrowed to the variant (ordering, mode, out). */
    @FunctionalInterface
    public interface Plan {
        PipelineScenario.Prepared prepare(Variant variant, RunOptions options);
    }

    /**
     * What one variant gave.
     *
     * @param variant the variant
     * @param label   its name in check prefixes and directories ({@code fixed}, {@code adaptive/key}, ...; empty
     *                when there is one variant)
     * @param row     its {@code modes} row
     * @param report  its own report's JSON
     */
    public record Result(Variant variant, String label, JsonObject row, JsonObject report) {}

    private SideBySide() {}

    /** The variants for {@code orderings} × the batch modes of {@code options}, orderings outermost. */
    public static List<Variant> variants(List<String> orderings, List<String> batchModes) {
        List<Variant> out = new ArrayList<>();
        for (String o : orderings) {
            for (String m : batchModes) {
                out.add(new Variant(o, m));
            }
        }
        return out;
    }

    /**
     * Runs every variant in order, the last into {@code report}, the others into reports of their own written to
     * {@code OUT/<label>/}, then merges them ({@link #merge}); returns the results in run order.
     */
    public static List<Result> run(RunOptions options, Report report, List<Variant> variants, Plan plan)
            throws Exception {
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("no variant to run");
        }
        List<String> labels = labels(variants);
        boolean several = variants.size() > 1;
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            boolean primary = i == variants.size() - 1;
            RunOptions o = options.withBatchMode(v.batchMode());
            if (v.ordering() != null) {
                o = o.withOrdering(v.ordering());
            }
            if (several) {
                o = o.withOut(dir(options.out(), labels.get(i)));
            }
            PipelineScenario.Prepared p = plan.prepare(v, o);
            Report target =
                    primary ? report : new Report(options.scenario(), p.spec().loadSeconds());
            target.durationSeconds(p.spec().loadSeconds());
            PipelineRun.Outcome outcome = PipelineRun.run(p.spec(), o, target);
            p.checks().add(p.spec(), outcome, target);
            if (!primary) {
                target.write(o.out());
            }
            results.add(new Result(v, labels.get(i), row(p.spec(), outcome, target.passed()), target.toJson()));
        }
        if (several || variants.get(0).batchMode() != null) {
            merge(report, results);
        }
        return results;
    }

    /**
     * The labels of {@code variants}: the batch mode when modes differ, the ordering when orderings differ, both
     * as {@code mode/ordering}; a lone variant's label is its mode (or empty).
     */
    static List<String> labels(List<Variant> variants) {
        Set<String> modes = new LinkedHashSet<>();
        Set<String> orderings = new LinkedHashSet<>();
        variants.forEach(v -> {
            modes.add(String.valueOf(v.batchMode()));
            orderings.add(String.valueOf(v.ordering()));
        });
        List<String> out = new ArrayList<>();
        for (Variant v : variants) {
            List<String> parts = new ArrayList<>();
            if (modes.size() > 1 || (variants.size() == 1 && v.batchMode() != null)) {
                parts.add(v.batchMode() == null ? "default" : v.batchMode());
            }
            if (orderings.size() > 1) {
                parts.add(v.ordering() == null ? "default" : v.ordering());
            }
            out.add(String.join("/", parts));
        }
        if (new LinkedHashSet<>(out).size() != out.size()) {
            throw new IllegalArgumentException("variants run twice: " + variants);
        }
        return out;
    }

    private static Path dir(Path out, String label) {
        Path d = out;
        for (String part : label.split("/")) {
            d = d.resolve(part);
        }
        return d;
    }

    /** The {@code modes} row of one run (see the class comment); rates over the second half of the load. */
    static JsonObject row(RunSpec spec, PipelineRun.Outcome o, boolean passed) {
        Timeline.Window w = Timeline.window(o.timeline().between(spec.loadSeconds() / 2.0, spec.loadSeconds() + 0.5));
        JsonObject r = new JsonObject()
                .put("mode", spec.batchMode())
                .put("ordering", spec.ordering())
                .put("producedPerSecond", Report.round(w.producedPerSec(), 1))
                .put("deliveredPerSecond", Report.round(w.deliveredPerSec(), 1))
                .put("backlogSlopePerSecond", Report.round(w.backlogSlopePerSec(), 1))
                .put("latencyP99Ms", o.latency() == null ? null : o.latency().p99())
                .put("invocationsPerMillion", o.invocationsPerMillion())
                .put("producedAccepted", o.accepted())
                .put("deliveredUnique", o.deliveredUnique())
                .put("lost", o.lost())
                .put("duplicates", o.duplicates())
                .put("inDlq", o.inDlq())
                .put("orderViolations", o.orderViolations())
                .put("drainSeconds", Report.round(o.drainSeconds(), 1));
        KeyLatencySplit split = o.keySplit();
        if (split != null) {
            r.put("hotKeyShare", Report.round(split.hotShare(), 4))
                    .put("hotKeyP99Ms", split.hot() == null ? null : split.hot().p99())
                    .put(
                            "otherKeysP99Ms",
                            split.others() == null ? null : split.others().p99());
        }
        return r.put("passed", passed);
    }

    /**
     * Merges the side-by-side results into {@code main} (the primary's report, the last result): {@code modes},
     * {@code ratios} (and {@code ratiosByOrdering} with several orderings), the other variants' checks and targets
     * (see the class comment). Pure.
     */
    static void merge(Report main, List<Result> results) {
        Result primary = results.get(results.size() - 1);
        JsonArray modes = new JsonArray();
        results.forEach(r -> modes.add(r.row().copy()));
        main.extra("modes", modes);
        main.extra(
                "modesBasis",
                "one full run per mode (own broker and Sluice process), fixed first; delivered, "
                        + "produced and backlog slope over the second half of the load, p99 and invocations per million over the "
                        + "whole measured load; ratios are adaptive / fixed");

        JsonArray targets = new JsonArray();
        JsonArray own = primary.report().getJsonArray("targets");
        if (own != null) {
            own.forEach(t -> targets.add(t instanceof JsonObject j ? j.copy() : t));
        }
        for (Result r : results) {
            if (r == primary) {
                continue;
            }
            boolean fixed = RunOptions.FIXED.equals(r.variant().batchMode());
            JsonArray checks = r.report().getJsonArray("checks", new JsonArray());
            for (int i = 0; i < checks.size(); i++) {
                JsonObject c = checks.getJsonObject(i);
                String name = r.label() + ": " + c.getString("name");
                if (fixed && c.getBoolean("target", false)) {
                    targets.add(new JsonObject()
                            .put("name", name)
                            .put("met", c.getBoolean("passed"))
                            .put("detail", c.getString("detail"))
                            .put("fromCheck", true));
                } else {
                    main.check(name, Boolean.TRUE.equals(c.getBoolean("passed")), c.getString("detail"));
                }
            }
            JsonArray theirs = r.report().getJsonArray("targets");
            if (theirs != null) {
                for (int i = 0; i < theirs.size(); i++) {
                    JsonObject t = theirs.getJsonObject(i).copy();
                    targets.add(t.put("name", r.label() + ": " + t.getString("name")));
                }
            }
        }
        if (!targets.isEmpty()) {
            main.extra("targets", targets);
        }

        String primaryOrdering = primary.row().getString("ordering");
        JsonObject byOrdering = new JsonObject();
        for (Result r : results) {
            String ordering = r.row().getString("ordering");
            if (!byOrdering.containsKey(ordering)) {
                JsonObject ratios = ratios(results, ordering);
                if (ratios != null) {
                    byOrdering.put(ordering, ratios);
                }
            }
        }
        JsonObject ratios = byOrdering.getJsonObject(primaryOrdering);
        if (ratios != null) {
            main.extra("ratios", ratios);
        }
        long orderings = results.stream()
                .map(r -> String.valueOf(r.row().getString("ordering")))
                .distinct()
                .count();
        if (orderings > 1 && !byOrdering.isEmpty()) {
            main.extra("ratiosByOrdering", byOrdering);
        }
    }

    /** Adaptive / fixed for {@code ordering}, or null unless both modes ran with it. */
    private static JsonObject ratios(List<Result> results, String ordering) {
        JsonObject fixed = null;
        JsonObject adaptive = null;
        for (Result r : results) {
            if (Objects.equals(ordering, r.row().getString("ordering"))) {
                if (RunOptions.FIXED.equals(r.row().getString("mode"))) {
                    fixed = r.row();
                } else if (RunOptions.ADAPTIVE.equals(r.row().getString("mode"))) {
                    adaptive = r.row();
                }
            }
        }
        if (fixed == null || adaptive == null) {
            return null;
        }
        return new JsonObject()
                .put("delivered", ratio(adaptive, fixed, "deliveredPerSecond"))
                .put("p99", ratio(adaptive, fixed, "latencyP99Ms"))
                .put("invocationsPerMillion", ratio(adaptive, fixed, "invocationsPerMillion"));
    }

    private static Double ratio(JsonObject adaptive, JsonObject fixed, String key) {
        Object a = adaptive.getValue(key);
        Object f = fixed.getValue(key);
        if (!(a instanceof Number an) || !(f instanceof Number fn) || fn.doubleValue() == 0) {
            return null;
        }
        return Report.round(an.doubleValue() / fn.doubleValue(), 3);
    }
}
