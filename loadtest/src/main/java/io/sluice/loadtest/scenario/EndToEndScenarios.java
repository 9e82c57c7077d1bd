package io.sluice.loadtest.scenario;

import io.sluice.loadtest.RunOptions;
import io.sluice.loadtest.report.Report;
import io.sluice.loadtest.run.PipelineRun;
import io.sluice.loadtest.run.RunContext;
import io.sluice.loadtest.run.RunSpec;
import io.sluice.loadtest.run.SluiceProcess;
import io.sluice.loadtest.run.Timeline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The end-to-end scenarios (Sluice as child processes, see {@link PipelineRun}). {@code --duration} is the
 * load time; faults are placed at fractions of it, so a short run ({@code --duration 20}) is the same story
 * compressed. {@code --rate}, {@code --lambda-latency-ms} and {@code --ordering} override each default.
 * {@code steady} runs the fixed batch mode beside the adaptive one (one full run each, see {@link SideBySide});
 * the others run once at the engine's default batch mode, or at the one {@code --batch-mode} names
 * ({@code both}: side by side too).
 */
public final class EndToEndScenarios {
    /** The pipeline's default batch linger (ms), the "linger" of the steady latency target. */
    static final long BATCH_LINGER_MS = 1_000;

    private EndToEndScenarios() {}

    /** All of them, in the order of the scenario table in docs/testing.md. */
    public static List<PipelineScenario> all() {
        return List.of(
                steady(),
                ramp(),
                max(),
                lambdaErrors(),
                lambdaOutage(),
                poison(),
                consumerKill(),
                brokerKill(),
                partitionIncrease(),
                rollingRestart());
    }

    static RunSpec.Builder base(String name, RunOptions o, double rate, int seconds) {
        return RunSpec.builder(name)
                .rate(o.rateOr(rate))
                .loadSeconds(o.durationOr(seconds))
                .ordering(o.ordering())
                .batchMode(o.batchMode())
                .lambdaLatencyMs(o.lambdaLatencyMs() == null ? 0 : o.lambdaLatencyMs())
                .tracing(o.tracingOn());
    }

    static PipelineScenario steady() {
        return new PipelineScenario(
                "steady",
                "13,000 msg/s of 80/20-keyed events for 120 s (--rate, --duration; "
                        + "--lambda-latency-ms 120 for the function's normal latency): latency, lag, invocations per million, memory; "
                        + "fixed then adaptive batch mode side by side (--batch-mode for one)",
                o -> {
                    RunSpec spec = base("steady", o, 13_000, 120).build();
                    return new PipelineScenario.Prepared(spec, (s, out, r) -> {
                        keepsUp(r, out.timeline(), s.loadSeconds() / 2.0, s.loadSeconds() + 0.5, "second half");
                        JsonArray targets = new JsonArray();
                        target(
                                targets,
                                "p99 end-to-end latency <= batch linger + 150 ms",
                                BATCH_LINGER_MS + 150,
                                out.latency().p99(),
                                out.latency().p99() <= BATCH_LINGER_MS + 150,
                                "ms");
                        target(
                                targets,
                                "invocations per million <= 2,000",
                                2_000,
                                out.invocationsPerMillion(),
                                out.invocationsPerMillion() != null && out.invocationsPerMillion() <= 2_000,
                                "");
                        // issue #15's targets, stated for the function's normal latency (120 ms, --lambda-latency-ms
                        // 120)
                        target(
                                targets,
                                "issue #15: p99 end-to-end latency <= 300 ms",
                                300,
                                out.latency().p99(),
                                out.latency().p99() <= 300,
                                "ms");
                        target(
                                targets,
                                "issue #15: invocations per million <= 1,100",
                                1_100,
                                out.invocationsPerMillion(),
                                out.invocationsPerMillion() != null && out.invocationsPerMillion() <= 1_100,
                                "");
                        r.extra("targets", targets);
                        r.extra("lambdaLatencyMs", s.lambdaLatencyMs());
                    });
                },
                true);
    }

    static PipelineScenario ramp() {
        return new PipelineScenario(
                "ramp",
                "steps of 1x, 5x, 10x a base rate (--rate, default 1,300/s), a third of "
                        + "--duration (default 90 s) each: each step delivered at its input rate",
                o -> {
                    double base = o.rateOr(1_300);
                    int seconds = o.durationOr(90);
                    int third = Math.max(2, seconds / 3);
                    RunSpec spec = base("ramp", o, base, seconds)
                            .driver(RunSpec.Driver.at(
                                    third, "rate 5x = " + Math.round(base * 5) + "/s", ctx -> ctx.rate(base * 5)))
                            .driver(RunSpec.Driver.at(
                                    2 * third,
                                    "rate 10x = " + Math.round(base * 10) + "/s",
                                    ctx -> ctx.rate(base * 10)))
                            .build();
                    return new PipelineScenario.Prepared(spec, (s, out, r) -> {
                        r.targetRate(base * 10);
                        JsonArray steps = new JsonArray();
                        for (int i = 0; i < 3; i++) {
                            double from = i * third + third / 2.0;
                            double to = i == 2 ? s.loadSeconds() + 0.5 : (i + 1) * third + 0.5;
                            steps.add(keepsUp(
                                    r,
                                    out.timeline(),
                                    from,
                                    to,
                                    "step " + (i + 1) + " (" + new int[] {1, 5, 10}[i] + "x)"));
                        }
                        r.extra("steps", steps);
                    });
                });
    }

    /**
     * A staircase from {@code --rate} (default 10,000/s) up by the same amount every {@code --duration} seconds
     * (default 20) to 200,000/s, ending at the first step the pipeline cannot hold (delivered under 95% of the
     * input, or the backlog growing by more than 5% of the rate) or the input cannot reach.
     */
    static PipelineScenario max() {
        return new PipelineScenario(
                "max",
                "staircase from --rate (default 10,000/s) up by that much every --duration "
                        + "(default 20) s: the highest rate delivered with a flat backlog and lost = 0; ConsumerPerformance baseline",
                o -> {
                    double first = o.rateOr(10_000);
                    int stepSeconds = Math.max(6, o.durationOr(20));
                    int maxSteps = (int) Math.max(1, Math.min(20, Math.floor(200_000 / first)));
                    Staircase stairs = new Staircase(first, stepSeconds, maxSteps);
                    RunSpec spec = RunSpec.builder("max")
                            .rate(first)
                            .loadSeconds(stepSeconds * maxSteps)
                            .ordering(o.ordering())
                            .batchMode(o.batchMode())
                            .lambdaLatencyMs(o.lambdaLatencyMs() == null ? 0 : o.lambdaLatencyMs())
                            .consumerPerfBaseline(true)
                            .drainTimeout(Duration.ofSeconds(300))
                            .driver(stairs)
                            .build();
                    return new PipelineScenario.Prepared(spec, (s, out, r) -> {
                        r.durationSeconds(stepSeconds);
                        r.extra("steps", stairs.steps);
                        r.extra("maxDeliveredPerSecond", Report.round(stairs.best, 1));
                        Double perf = r.consumerPerfRecordsPerSec();
                        if (perf != null && perf > 0) {
                            // Sluice's whole consumer path (poll, batch, invoke, sink, commit) against the bare
                            // consumer
                            r.extra("consumerRatio", Report.round(stairs.best / perf, 4));
                        }
                        r.targetRate(stairs.bestRate);
                        r.check(
                                "a step held",
                                stairs.best > 0,
                                stairs.best > 0
                                        ? String.format(
                                                "highest step held: input %.0f/s, delivered %.0f/s with a flat backlog",
                                                stairs.bestRate, stairs.best)
                                        : "not even the first step (" + first
                                                + "/s) was delivered with a flat backlog");
                        JsonArray targets = new JsonArray();
                        target(
                                targets,
                                "max >= 100,000 msg/s delivered end to end",
                                100_000,
                                Report.round(stairs.best, 1),
                                stairs.best >= 100_000,
                                "msg/s");
                        r.extra("targets", targets);
                    });
                });
    }

    static PipelineScenario lambdaErrors() {
        return new PipelineScenario(
                "lambda-errors",
                "20% function errors + 10% throttles at 5,000/s for 60 s; retries "
                        + "(maxAttempts 10) deliver everything",
                o -> {
                    RunSpec spec = base("lambda-errors", o, 5_000, 60)
                            .errors(0.2, 0.1)
                            .pipeline(new JsonObject()
                                    .put(
                                            "retry",
                                            new JsonObject()
                                                    .put("maxAttempts", 10)
                                                    .put("baseDelayMs", 50)
                                                    .put("maxDelayMs", 2_000)))
                            .build();
                    return new PipelineScenario.Prepared(
                            spec,
                            (s, out, r) -> r.check(
                                    "retried to the sink",
                                    out.inDlq() == 0,
                                    out.inDlq() + " events in the DLQ after 10 attempts (" + out.invocations()
                                            + " invocations for " + out.deliveredUnique() + " events)"));
                });
    }

    static PipelineScenario lambdaOutage() {
        return new PipelineScenario(
                "lambda-outage",
                "the function down for 60 s (half of --duration when shorter) "
                        + "mid-run at 13,000/s, Sluice with -Xmx512m: breaker opens, consumer pauses, nothing to the DLQ",
                o -> {
                    int seconds = o.durationOr(120);
                    int down = Math.min(60, seconds / 2);
                    int at = Math.max(1, (seconds - down) / 3);
                    RunSpec spec = base("lambda-outage", o, 13_000, seconds)
                            // the memory target as a limit: Sluice must ride out the outage inside a 512 MB heap
                            .jvmOptions(List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC"))
                            .driver(RunSpec.Driver.at(
                                    at,
                                    "function down",
                                    ctx -> ctx.lambdaFaults().outage(true)))
                            .driver(RunSpec.Driver.at(
                                    at + down,
                                    "function back",
                                    ctx -> ctx.lambdaFaults().outage(false)))
                            .drainTimeout(Duration.ofSeconds(300))
                            .build();
                    return new PipelineScenario.Prepared(spec, (s, out, r) -> {
                        r.extra("outageSeconds", down);
                        r.check("outage means lag, not DLQ", out.inDlq() == 0, out.inDlq() + " events in the DLQ");
                        JsonArray targets = new JsonArray();
                        double heap =
                                r.peakHeapMb() == null ? 0 : r.peakHeapMb(); // the largest over the Sluice processes
                        target(targets, "peak heap of a Sluice process <= 512 MB", 512, heap, heap <= 512, "MB");
                        r.extra("targets", targets);
                    });
                });
    }

    static PipelineScenario poison() {
        return new PipelineScenario(
                "poison",
                "1% of the records are not JSON at 5,000/s for 60 s: exactly those in the "
                        + "DLQ, every other delivered",
                o -> {
                    RunSpec spec = base("poison", o, 5_000, 60).poisonEvery(100).build();
                    return new PipelineScenario.Prepared(spec, (s, out, r) -> {
                        r.check(
                                "exactly the poison records in the DLQ",
                                out.poisonAccepted() > 0
                                        && out.poisonInDlq() == out.poisonAccepted()
                                        && out.inDlq() == out.poisonAccepted(),
                                String.format(
                                        "%d poison records acknowledged, %d of them in the DLQ, %d DLQ events in all; classes %s",
                                        out.poisonAccepted(), out.poisonInDlq(), out.inDlq(), out.dlqErrorClasses()));
                        r.check(
                                "every valid record delivered",
                                out.deliveredUnique() == out.accepted() - out.poisonAccepted(),
                                out.deliveredUnique() + " delivered of " + (out.accepted() - out.poisonAccepted())
                                        + " valid");
                    });
                });
    }

    static PipelineScenario consumerKill() {
        return new PipelineScenario(
                "consumer-kill",
                "two Sluice processes at 13,000/s for 60 s, one SIGKILLed mid-run: "
                        + "the survivor takes its partitions, lost = 0",
                o -> {
                    int seconds = o.durationOr(60);
                    RunSpec spec = base("consumer-kill", o, 13_000, seconds)
                            .processes(2)
                            .driver(RunSpec.Driver.at(
                                    seconds / 2,
                                    "SIGKILL sluice-2",
                                    ctx -> ctx.processes().get(1).kill()))
                            .build();
                    return new PipelineScenario.Prepared(
                            spec,
                            (s, out, r) -> r.check(
                                    "duplicates bounded by the killed process's in-flight",
                                    out.duplicates() <= 20_000 + 13_000L * 10,
                                    out.duplicates() + " duplicates (at-least-once: records the killed "
                                            + "process delivered but had not committed are delivered again)"));
                });
    }

    static PipelineScenario brokerKill() {
        return new PipelineScenario(
                "broker-kill",
                "3 brokers, RF 3, min.insync.replicas 2, 13,000/s for 90 s: SIGKILL the "
                        + "leader of a hot key's partition at a third, restart it at two thirds",
                o -> {
                    int seconds = o.durationOr(90);
                    AtomicInteger killed = new AtomicInteger(-1);
                    RunSpec spec = base("broker-kill", o, 13_000, seconds)
                            .brokers(3)
                            .driver((ctx, sec) -> {
                                if (sec == seconds / 3) {
                                    int p = ctx.hotPartition();
                                    int leader = ctx.leaderOf(p);
                                    ctx.mark("SIGKILL broker " + leader + " (leader of hot partition " + p + ")");
                                    killed.set(leader);
                                    ctx.cluster().stopNode(leader, true);
                                } else if (sec == 2 * seconds / 3 && killed.get() >= 0) {
                                    ctx.mark("restart broker " + killed.get());
                                    ctx.inBackground(
                                            "broker " + killed.get() + " restarted",
                                            c -> c.cluster().restartNode(killed.get()));
                                }
                                return true;
                            })
                            .drainTimeout(Duration.ofSeconds(240))
                            .build();
                    return new PipelineScenario.Prepared(
                            spec,
                            (s, out, r) -> r.check(
                                    "a leader was killed",
                                    killed.get() >= 0,
                                    "broker " + killed.get() + " was SIGKILLed and restarted"));
                });
    }

    static PipelineScenario partitionIncrease() {
        return new PipelineScenario(
                "partition-increase",
                "12 -> 24 partitions mid-run at 13,000/s for 60 s: the new " + "partitions are consumed, lost = 0",
                o -> {
                    int seconds = o.durationOr(60);
                    AtomicLong newPartitionRecords = new AtomicLong(-1);
                    RunSpec spec = base("partition-increase", o, 13_000, seconds)
                            // one request in flight per broker: an idempotent producer meeting a partition whose leader
                            // is not
                            // ready yet can otherwise fail its first batch with out-of-order sequence until its
                            // delivery
                            // timeout (KAFKA-15591); this is the load generator, not Sluice
                            .inputProducer("max.in.flight.requests.per.connection", "1")
                            .driver(RunSpec.Driver.at(
                                    seconds / 2, "partitions 12 -> 24", ctx -> ctx.increasePartitions(24)))
                            .driver((ctx, sec) -> {
                                if (sec == seconds) {
                                    newPartitionRecords.set(recordsIn(ctx, 12, 24));
                                }
                                return true;
                            })
                            .build();
                    return new PipelineScenario.Prepared(
                            spec,
                            (s, out, r) -> r.check(
                                    "new partitions carried records",
                                    newPartitionRecords.get() > 0,
                                    newPartitionRecords.get() + " records in partitions 12-23 by the end of the "
                                            + "load, all committed (drained)"));
                });
    }

    static PipelineScenario rollingRestart() {
        return new PipelineScenario(
                "rolling-restart",
                "two Sluice processes with static membership at 13,000/s for 90 s, "
                        + "each restarted (SIGTERM, start) in turn: lost = 0, graceful exits",
                o -> {
                    int seconds = o.durationOr(90);
                    List<Integer> exits = new ArrayList<>();
                    RunSpec spec = base("rolling-restart", o, 13_000, seconds)
                            .processes(2)
                            .staticMembership(true)
                            .driver(restartAt(seconds / 5, 0, exits))
                            .driver(restartAt(seconds / 2, 1, exits))
                            .build();
                    return new PipelineScenario.Prepared(spec, (s, out, r) -> {
                        r.check(
                                "each restart was graceful",
                                exits.size() == 2 && exits.stream().allMatch(c -> c == 0 || c == 143),
                                "exit codes of the restarted processes after SIGTERM (143 = 128 + SIGTERM after the shutdown hook ran): "
                                        + exits);
                        r.extra("restartDuplicates", out.duplicates());
                    });
                });
    }

    /**
     * Restarts process {@code index} at {@code second} in the background (after the previous restart):
     * SIGTERM, wait for the graceful exit, start, wait until ready; the exit code goes to {@code exits}.
     */
    private static RunSpec.Driver restartAt(int second, int index, List<Integer> exits) {
        return RunSpec.Driver.at(
                second,
                "restart sluice-" + (index + 1),
                ctx -> ctx.inBackground("sluice-" + (index + 1) + " ready again", c -> {
                    SluiceProcess p = c.processes().get(index);
                    int code = p.stop(Duration.ofSeconds(60));
                    synchronized (exits) {
                        exits.add(code);
                    }
                    p.start();
                    p.awaitReady(Duration.ofSeconds(120));
                }));
    }

    private static long recordsIn(RunContext ctx, int fromPartition, int toPartition) throws Exception {
        Map<TopicPartition, OffsetSpec> req = new HashMap<>();
        for (int p = fromPartition; p < toPartition; p++) {
            req.put(new TopicPartition(ctx.inputTopic(), p), OffsetSpec.latest());
        }
        return ctx.admin().listOffsets(req).all().get(10, TimeUnit.SECONDS).values().stream()
                .mapToLong(i -> i.offset())
                .sum();
    }

    /** Checks that the delivered rate kept up with the input over {@code [from, to)} s; returns the step's numbers. */
    static JsonObject keepsUp(Report r, Timeline timeline, double from, double to, String what) {
        Timeline.Window w = Timeline.window(timeline.between(from, to));
        boolean ok = w.keptUp(Math.max(1, w.producedPerSec()));
        r.check(
                "keeps up: " + what,
                ok,
                String.format(
                        "input %.0f/s, delivered %.0f/s, backlog slope %.0f/s over t=%.0f-%.0f s",
                        w.producedPerSec(), w.deliveredPerSec(), w.backlogSlopePerSec(), from, to));
        return rates(w).put("what", what).put("held", ok);
    }

    /** The rates of a window as report JSON. */
    static JsonObject rates(Timeline.Window w) {
        return new JsonObject()
                .put("producedPerSec", Report.round(w.producedPerSec(), 1))
                .put("deliveredPerSec", Report.round(w.deliveredPerSec(), 1))
                .put("backlogSlopePerSec", Report.round(w.backlogSlopePerSec(), 1));
    }

    static void target(JsonArray targets, String name, double target, Number measured, boolean met, String unit) {
        targets.add(new JsonObject()
                .put("name", name)
                .put("target", target)
                .put("measured", measured)
                .put("unit", unit)
                .put("met", met));
    }

    /** The {@code max} driver: raises the rate a step at a time while the previous step held. */
    static final class Staircase implements RunSpec.Driver {
        final JsonArray steps = new JsonArray();
        private final double increment;
        private final int stepSeconds;
        private final int maxSteps;
        private double rate;
        private int stepStart;
        double best;
        double bestRate;

        Staircase(double first, int stepSeconds, int maxSteps) {
            this.increment = first;
            this.rate = first;
            this.stepSeconds = stepSeconds;
            this.maxSteps = maxSteps;
        }

        @Override
        public boolean onSecond(RunContext ctx, int second) {
            if (second - stepStart < stepSeconds) {
                return true;
            }
            Timeline.Window w = Timeline.window(ctx.timeline().between(stepStart + stepSeconds / 2.0, second + 0.5));
            boolean inputReached = w.producedPerSec() >= 0.9 * rate;
            boolean held = inputReached && w.keptUp(rate);
            steps.add(rates(w).put("targetRate", rate)
                    .put("inputReached", inputReached)
                    .put("held", held));
            if (held && w.deliveredPerSec() > best) {
                best = w.deliveredPerSec();
                bestRate = rate;
            }
            if (!held || steps.size() >= maxSteps) {
                ctx.mark(held ? "last step held" : "step " + Math.round(rate) + "/s not held");
                return false;
            }
            rate += increment;
            stepStart = second;
            ctx.rate(rate);
            ctx.mark("rate " + Math.round(rate) + "/s");
            return true;
        }
    }
}
