package io.sluice.loadtest.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sluice.loadtest.RunOptions;
import io.sluice.loadtest.Scenarios;
import io.sluice.loadtest.report.KeyLatencySplit;
import io.sluice.loadtest.report.LatencySummary;
import io.sluice.loadtest.report.Report;
import io.sluice.loadtest.run.PipelineRun;
import io.sluice.loadtest.run.RunSpec;
import io.sluice.loadtest.run.Timeline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SideBySideTest {

    /** A run of {@code seconds} whose second half delivered {@code deliveredPerSec} of 13,000/s produced. */
    private static PipelineRun.Outcome outcome(
            int seconds,
            long deliveredPerSec,
            double p99,
            long invocations,
            long orderViolations,
            KeyLatencySplit split) {
        Timeline t = new Timeline();
        for (int s = 1; s <= seconds; s++) {
            t.add(new Timeline.Sample(s, 13_000, 13_000L * s, deliveredPerSec * s, 0L, null, null, null));
        }
        long delivered = deliveredPerSec * seconds;
        return new PipelineRun.Outcome(
                13_000L * seconds,
                delivered,
                7,
                0,
                0,
                0,
                List.of(),
                Set.of(),
                Map.of(),
                0,
                0,
                0,
                null,
                true,
                12.5,
                orderViolations,
                invocations,
                new LatencySummary(100, 200, p99, p99 + 10, p99 + 20, delivered),
                t,
                Map.of("sluice-1", 0),
                split);
    }

    private static RunSpec spec(String mode, String ordering) {
        return RunSpec.builder("x")
                .loadSeconds(20)
                .batchMode(mode)
                .ordering(ordering)
                .build();
    }

    private static JsonObject check(String name, boolean passed, boolean target) {
        JsonObject c = new JsonObject().put("name", name).put("passed", passed).put("detail", name + " detail");
        return target ? c.put("target", true) : c;
    }

    private static JsonObject target(String name, double measured, boolean met) {
        return new JsonObject()
                .put("name", name)
                .put("target", 300)
                .put("measured", measured)
                .put("unit", "ms")
                .put("met", met);
    }

    @Test
    void aRowHasTheSecondHalfRatesAndTheWholeLoadsLatencyAndCost() {
        KeyLatencySplit split = new KeyLatencySplit(
                300, 700, new LatencySummary(1, 2, 1_900, 4, 5, 10), new LatencySummary(1, 2, 250, 4, 5, 10), 0, 0);
        JsonObject row = SideBySide.row(spec("adaptive", "key"), outcome(20, 12_000, 280, 1_000, 0, split), true);

        assertThat(row.getString("mode")).isEqualTo("adaptive");
        assertThat(row.getString("ordering")).isEqualTo("key");
        assertThat(row.getDouble("deliveredPerSecond")).isEqualTo(12_000.0);
        assertThat(row.getDouble("producedPerSecond")).isEqualTo(13_000.0);
        assertThat(row.getDouble("backlogSlopePerSecond")).isCloseTo(1_000.0, within(0.01));
        assertThat(row.getDouble("latencyP99Ms")).isEqualTo(280.0);
        assertThat(row.getDouble("invocationsPerMillion")).isEqualTo(Report.round(1_000 * 1e6 / 240_000, 1));
        assertThat(row.getLong("lost")).isZero();
        assertThat(row.getLong("duplicates")).isEqualTo(7);
        assertThat(row.getLong("orderViolations")).isZero();
        assertThat(row.getDouble("hotKeyP99Ms")).isEqualTo(1_900.0);
        assertThat(row.getDouble("otherKeysP99Ms")).isEqualTo(250.0);
        assertThat(row.getDouble("hotKeyShare")).isEqualTo(0.3);
        assertThat(row.getBoolean("passed")).isTrue();

        JsonObject plain = SideBySide.row(spec("fixed", null), outcome(20, 13_000, 1_211, 2_000, 0, null), false);
        assertThat(plain.getString("ordering")).as("the spec's ordering").isEqualTo("partition");
        assertThat(plain.containsKey("hotKeyP99Ms"))
                .as("no hot key, no hot/other columns")
                .isFalse();
        assertThat(plain.getBoolean("passed")).isFalse();
    }

    @Test
    void theFixedRunBesideTheAdaptiveOneGivesModesRatiosPrefixedChecksAndTargets() {
        Report main = new Report("hot-key", 60)
                .check("lost = 0", true, "ok")
                .targetCheck("other keys p99 <= 3 s", true, "2,100 ms")
                .extra("targets", new JsonArray().add(target("other keys p99 <= 3 s", 2_100, true)));
        JsonObject fixedRow = new JsonObject()
                .put("mode", "fixed")
                .put("ordering", "key")
                .put("deliveredPerSecond", 4_000.0)
                .put("latencyP99Ms", 1_200.0)
                .put("invocationsPerMillion", 1_500.0)
                .put("lost", 0L);
        JsonObject adaptiveRow = new JsonObject()
                .put("mode", "adaptive")
                .put("ordering", "key")
                .put("deliveredPerSecond", 12_000.0)
                .put("latencyP99Ms", 300.0)
                .put("invocationsPerMillion", 1_000.0)
                .put("lost", 0L);
        JsonObject fixedReport = new JsonObject()
                .put(
                        "checks",
                        new JsonArray()
                                .add(check("lost = 0", true, false))
                                .add(check("per-key order kept", true, false))
                                .add(check("other keys p99 <= 3 s", false, true)))
                .put("targets", new JsonArray().add(target("other keys p99 <= 3 s", 160_000, false)));
        SideBySide.Result fixed =
                new SideBySide.Result(new SideBySide.Variant(null, "fixed"), "fixed", fixedRow, fixedReport);
        SideBySide.Result adaptive =
                new SideBySide.Result(new SideBySide.Variant(null, "adaptive"), "adaptive", adaptiveRow, main.toJson());

        SideBySide.merge(main, List.of(fixed, adaptive));
        JsonObject j = main.toJson();

        assertThat(j.getJsonArray("modes")).containsExactly(fixedRow, adaptiveRow);
        assertThat(j.getJsonObject("ratios"))
                .isEqualTo(
                        new JsonObject().put("delivered", 3.0).put("p99", 0.25).put("invocationsPerMillion", 0.667));
        assertThat(j.containsKey("ratiosByOrdering")).as("one ordering").isFalse();
        assertThat(main.checks())
                .extracting(Report.Check::name)
                .containsExactly("lost = 0", "other keys p99 <= 3 s", "fixed: lost = 0", "fixed: per-key order kept");
        assertThat(j.getBoolean("passed"))
                .as("the fixed run's known miss of a target does not fail the run")
                .isTrue();
        JsonArray targets = j.getJsonArray("targets");
        assertThat(targets.stream().map(t -> ((JsonObject) t).getString("name")).toList())
                .containsExactly(
                        "other keys p99 <= 3 s", "fixed: other keys p99 <= 3 s", "fixed: other keys p99 <= 3 s");
        JsonObject fromCheck = targets.getJsonObject(1);
        assertThat(fromCheck.getBoolean("met")).isFalse();
        assertThat(fromCheck.getBoolean("fromCheck")).isTrue();
        assertThat(fromCheck.getString("detail")).isEqualTo("other keys p99 <= 3 s detail");
        assertThat(targets.getJsonObject(2).getDouble("measured")).isEqualTo(160_000.0);
        assertThat(targets.getJsonObject(0).getDouble("measured"))
                .as("the adaptive run's own target first")
                .isEqualTo(2_100.0);
    }

    @Test
    void aFixedRunThatLosesOrReordersFailsTheRun() {
        Report main = new Report("steady", 60).check("lost = 0", true, "ok");
        JsonObject fixedReport = new JsonObject().put("checks", new JsonArray().add(check("lost = 0", false, false)));
        JsonObject row = new JsonObject()
                .put("mode", "fixed")
                .put("ordering", "partition")
                .put("deliveredPerSecond", 0.0);
        SideBySide.merge(
                main,
                List.of(
                        new SideBySide.Result(new SideBySide.Variant(null, "fixed"), "fixed", row, fixedReport),
                        new SideBySide.Result(
                                new SideBySide.Variant(null, "adaptive"),
                                "adaptive",
                                row.copy().put("mode", "adaptive").put("deliveredPerSecond", 100.0),
                                main.toJson())));

        assertThat(main.passed()).isFalse();
        assertThat(main.checks()).extracting(Report.Check::name).contains("fixed: lost = 0");
        JsonObject ratios = main.toJson().getJsonObject("ratios");
        assertThat(ratios.getValue("delivered")).as("no ratio over a fixed 0").isNull();
        assertThat(ratios.getValue("p99")).as("no number on either side").isNull();
    }

    @Test
    void orderingsTimesModesHaveOneRatiosEntryPerOrderingAndLabelsWithBoth() {
        List<SideBySide.Variant> variants = SideBySide.variants(List.of("partition", "key"), RunOptions.BOTH_MODES);
        assertThat(SideBySide.labels(variants))
                .containsExactly("fixed/partition", "adaptive/partition", "fixed/key", "adaptive/key");
        List<SideBySide.Result> results = new java.util.ArrayList<>();
        Report main = new Report("slow-lambda", 120);
        double[] delivered = {6_000, 12_000, 13_000, 13_000};
        for (int i = 0; i < 4; i++) {
            SideBySide.Variant v = variants.get(i);
            JsonObject row = new JsonObject()
                    .put("mode", v.batchMode())
                    .put("ordering", v.ordering())
                    .put("deliveredPerSecond", delivered[i])
                    .put("latencyP99Ms", 1_000.0)
                    .put("invocationsPerMillion", 2_000.0);
            results.add(new SideBySide.Result(
                    v,
                    SideBySide.labels(variants).get(i),
                    row,
                    new JsonObject().put("checks", new JsonArray().add(check("per-key order kept", true, false)))));
        }
        SideBySide.merge(main, results);
        JsonObject j = main.toJson();

        assertThat(j.getJsonArray("modes")).hasSize(4);
        assertThat(j.getJsonObject("ratios").getDouble("delivered"))
                .as("the primary's ordering: key")
                .isEqualTo(1.0);
        assertThat(j.getJsonObject("ratiosByOrdering")
                        .getJsonObject("partition")
                        .getDouble("delivered"))
                .isEqualTo(2.0);
        assertThat(main.checks())
                .extracting(Report.Check::name)
                .containsExactly(
                        "fixed/partition: per-key order kept",
                        "adaptive/partition: per-key order kept",
                        "fixed/key: per-key order kept");
    }

    @Test
    void labelsNameOnlyWhatVaries() {
        assertThat(SideBySide.labels(SideBySide.variants(List.of("key"), RunOptions.BOTH_MODES)))
                .containsExactly("fixed", "adaptive");
        assertThat(SideBySide.labels(SideBySide.variants(List.of("partition", "key"), List.of("adaptive"))))
                .containsExactly("partition", "key");
        assertThat(SideBySide.labels(List.of(new SideBySide.Variant(null, null))))
                .containsExactly("");
        assertThatThrownBy(() -> SideBySide.labels(
                        List.of(new SideBySide.Variant("key", "fixed"), new SideBySide.Variant("key", "fixed"))))
                .hasMessageStartingWith("variants run twice");
    }

    @Test
    void theFourIssueScenariosRunBothModesByDefaultAndTheOthersDoNot() {
        for (String name : List.of("steady", "hot-key", "single-key")) {
            assertThat(((PipelineScenario) Scenarios.byName(name).orElseThrow()).modesSideBySide())
                    .as(name)
                    .isTrue();
        }
        for (String name : List.of("ramp", "max", "lambda-errors", "poison", "consumer-kill", "rolling-restart")) {
            assertThat(((PipelineScenario) Scenarios.byName(name).orElseThrow()).modesSideBySide())
                    .as(name)
                    .isFalse();
        }
        for (String name : List.of("steady", "hot-key", "single-key", "slow-lambda")) {
            assertThat(Scenarios.byName(name).orElseThrow().description())
                    .as(name)
                    .contains("--batch-mode");
        }
    }

    @Test
    void thePlansPassTheNarrowedBatchModeToTheSpec() {
        RunOptions o = RunOptions.parse(new String[] {"--scenario", "steady"});
        PipelineScenario steady = (PipelineScenario) Scenarios.byName("steady").orElseThrow();
        assertThat(steady.spec(o.withBatchMode("fixed")).batchMode()).isEqualTo("fixed");
        assertThat(steady.spec(o.withBatchMode("adaptive")).batchMode()).isEqualTo("adaptive");
        PipelineScenario ramp = (PipelineScenario) Scenarios.byName("ramp").orElseThrow();
        assertThat(ramp.spec(o).batchMode())
                .as("no --batch-mode: the engine's default")
                .isNull();
        PipelineScenario max = (PipelineScenario) Scenarios.byName("max").orElseThrow();
        assertThat(max.spec(o.withBatchMode("fixed")).batchMode()).isEqualTo("fixed");
        PipelineScenario hot = (PipelineScenario) Scenarios.byName("hot-key").orElseThrow();
        assertThat(hot.spec(o.withBatchMode("adaptive")).batchMode()).isEqualTo("adaptive");
        assertThatThrownBy(() -> steady.spec(o.withBatchMode("both"))).hasMessageContaining("fixed or adaptive");
    }

    @Test
    void slowLambdaCapsBatchesAt500InTheFixedModeOnly() {
        RunOptions o = RunOptions.parse(new String[] {"--scenario", "slow-lambda"});
        RunSpec fixed = SlowLambdaScenario.spec(new SideBySide.Variant("key", "fixed"), o, 950, 120);
        RunSpec adaptive = SlowLambdaScenario.spec(new SideBySide.Variant("key", "adaptive"), o, 950, 120);
        assertThat(fixed.batchMode()).isEqualTo("fixed");
        assertThat(fixed.pipelineOverrides().getJsonObject("batch").getInteger("maxRecords"))
                .isEqualTo(500);
        assertThat(adaptive.batchMode()).isEqualTo("adaptive");
        assertThat(adaptive.pipelineOverrides().containsKey("batch"))
                .as("the adaptive mode keeps its own ceilings")
                .isFalse();
        for (RunSpec s : List.of(fixed, adaptive)) {
            assertThat(s.pipelineOverrides().getInteger("lanes")).isEqualTo(8);
            assertThat(s.pipelineOverrides().getJsonObject("lambda").getInteger("maxConcurrency"))
                    .isEqualTo(96);
            assertThat(s.pipelineOverrides().getJsonObject("inFlight").getInteger("maxRecords"))
                    .isEqualTo(200_000);
            assertThat(s.ordering()).isEqualTo("key");
        }
    }
}
