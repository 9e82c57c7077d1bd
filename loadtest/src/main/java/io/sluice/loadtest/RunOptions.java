package io.sluice.loadtest;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Command-line options of a load-test run.
 *
 * <pre>
 * --scenario NAME           required, see --list
 * --duration SECONDS        the scenario's default when absent (each measured phase lasts about this long)
 * --rate MSG_PER_SEC        target rate, scenario default when absent
 * --out DIR                 where report.json (and anything else) is written; default target/loadtest/&lt;scenario&gt;
 * --lambda-latency-ms MS    latency the local Lambda adds per invocation (scenarios with a consumer)
 * --ordering partition|key  consumer ordering mode (scenarios with a consumer)
 * --batch-mode fixed|adaptive|both
 *                           the pipeline's {@code batch.mode} (scenarios with a consumer); {@code both} runs the
 *                           scenario twice, fixed then adaptive, each a full run of its own, and reports them side
 *                           by side. When absent, {@code steady}, {@code hot-key}, {@code single-key} and
 *                           {@code slow-lambda} run both; every other scenario runs once with the engine's default
 *                           (adaptive) and writes no {@code batch.mode} at all; given, every scenario passes it on
 * --tracing on|off|both     Sluice's {@code tracing} (end-to-end scenarios): {@code on} exports spans to an OTLP sink
 *                           in the runner and the input records carry a {@code traceparent} (a traced upstream);
 *                           {@code both} runs the scenario off, then on, and reports the CPU per event of each side
 *                           by side ({@code tracing} in report.json; the off run's own report in OUT/tracing-off/)
 * </pre>
 *
 * @param scenario        scenario name
 * @param duration        measured duration in seconds, or null for the scenario's default
 * @param rate            target rate, or null for the scenario's default
 * @param out             output directory
 * @param lambdaLatencyMs extra Lambda latency, or null
 * @param ordering        ordering mode, or null
 * @param batchMode       {@code fixed}, {@code adaptive} or {@code both}, or null for the scenario's default
 * @param tracing         {@code on}, {@code off} or {@code both}, or null (off)
 */
public record RunOptions(
        String scenario,
        Integer duration,
        Double rate,
        Path out,
        Long lambdaLatencyMs,
        String ordering,
        String batchMode,
        String tracing) {

    /** The batch mode of today's engine: batches close on {@code batch.maxRecords} or {@code batch.lingerMs}. */
    public static final String FIXED = "fixed";
    /** The batch mode of issue #15 (the engine's default): batches adapt to load under {@code batch.maxWaitMs}. */
    public static final String ADAPTIVE = "adaptive";
    /** {@code --batch-mode both}: fixed, then adaptive. */
    public static final String BOTH = "both";
    /** The order in which {@code both} runs the modes. */
    public static final List<String> BOTH_MODES = List.of(FIXED, ADAPTIVE);

    public static final String USAGE = "usage: java -jar sluice-loadtest.jar --scenario NAME [--duration SECONDS] "
            + "[--rate MSG_PER_SEC] [--out DIR] [--lambda-latency-ms MS] [--ordering partition|key] "
            + "[--batch-mode fixed|adaptive|both] [--tracing on|off|both]  (--list: scenarios)";

    public RunOptions {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(out, "out");
        if (batchMode != null && !FIXED.equals(batchMode) && !ADAPTIVE.equals(batchMode) && !BOTH.equals(batchMode)) {
            throw new IllegalArgumentException(
                    "--batch-mode: must be fixed, adaptive or both, got '" + batchMode + "'");
        }
        if (tracing != null && !"on".equals(tracing) && !"off".equals(tracing) && !BOTH.equals(tracing)) {
            throw new IllegalArgumentException("--tracing: must be on, off or both, got '" + tracing + "'");
        }
    }

    /** Options without {@code --tracing}. */
    public RunOptions(
            String scenario,
            Integer duration,
            Double rate,
            Path out,
            Long lambdaLatencyMs,
            String ordering,
            String batchMode) {
        this(scenario, duration, rate, out, lambdaLatencyMs, ordering, batchMode, null);
    }

    /** True when Sluice runs with tracing on ({@code --tracing on}). */
    public boolean tracingOn() {
        return "on".equals(tracing);
    }

    /** The same options with {@code --tracing} set to {@code mode}. */
    public RunOptions withTracing(String mode) {
        return new RunOptions(scenario, duration, rate, out, lambdaLatencyMs, ordering, batchMode, mode);
    }

    /** Options without {@code --batch-mode}. */
    public RunOptions(String scenario, Integer duration, Double rate, Path out, Long lambdaLatencyMs, String ordering) {
        this(scenario, duration, rate, out, lambdaLatencyMs, ordering, null);
    }

    /** The duration given, or 60. */
    public int durationSeconds() {
        return durationOr(60);
    }

    /** The duration given, or {@code def} seconds when none was given. */
    public int durationOr(int def) {
        return duration == null ? def : duration;
    }

    /** The same options with another duration (a scenario's short version). */
    public RunOptions withDuration(int seconds) {
        return new RunOptions(scenario, seconds, rate, out, lambdaLatencyMs, ordering, batchMode, tracing);
    }

    /** The same options writing to {@code dir} (one variant of a side-by-side run). */
    public RunOptions withOut(Path dir) {
        return new RunOptions(scenario, duration, rate, dir, lambdaLatencyMs, ordering, batchMode, tracing);
    }

    /** The same options with another ordering (null: the scenario's). */
    public RunOptions withOrdering(String mode) {
        return new RunOptions(scenario, duration, rate, out, lambdaLatencyMs, mode, batchMode, tracing);
    }

    /** The same options with one batch mode ({@code fixed}, {@code adaptive}, or null for the engine default). */
    public RunOptions withBatchMode(String mode) {
        return new RunOptions(scenario, duration, rate, out, lambdaLatencyMs, ordering, mode, tracing);
    }

    /**
     * The batch modes to run, in order: {@code [fixed, adaptive]} for {@code both}, the one given, or, when
     * {@code --batch-mode} is absent, {@code [fixed, adaptive]} if the scenario runs them side by side by default
     * and otherwise a single {@code null} (the engine's default, no {@code batch.mode} written).
     */
    public List<String> batchModes(boolean sideBySideByDefault) {
        if (batchMode == null) {
            return sideBySideByDefault ? BOTH_MODES : Arrays.asList((String) null);
        }
        return BOTH.equals(batchMode) ? BOTH_MODES : List.of(batchMode);
    }

    /** The rate, or {@code def} when none was given. */
    public double rateOr(double def) {
        return rate == null ? def : rate;
    }

    /**
     * Parses the arguments.
     *
     * @throws IllegalArgumentException with a one-line message naming the bad option
     */
    public static RunOptions parse(String[] args) {
        String scenario = null;
        Integer duration = null;
        Double rate = null;
        Path out = null;
        Long lambdaLatency = null;
        String ordering = null;
        String batchMode = null;
        String tracing = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String value;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + ": needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--scenario" -> scenario = value;
                case "--duration" -> duration = (int) longIn(name, value, 1, 86_400);
                case "--rate" -> rate = doubleIn(name, value, 0, 10_000_000);
                case "--out" -> out = Path.of(value);
                case "--lambda-latency-ms" -> lambdaLatency = longIn(name, value, 0, 900_000);
                case "--ordering" -> {
                    ordering = value.toLowerCase(Locale.ROOT);
                    if (!ordering.equals("partition") && !ordering.equals("key")) {
                        throw new IllegalArgumentException("--ordering: must be partition or key, got '" + value + "'");
                    }
                }
                case "--batch-mode" -> {
                    batchMode = value.trim().toLowerCase(Locale.ROOT);
                    if (!batchMode.equals(FIXED) && !batchMode.equals(ADAPTIVE) && !batchMode.equals(BOTH)) {
                        throw new IllegalArgumentException(
                                "--batch-mode: must be fixed, adaptive or both, got '" + value + "'");
                    }
                }
                case "--tracing" -> {
                    tracing = value.trim().toLowerCase(Locale.ROOT);
                    if (!tracing.equals("on") && !tracing.equals("off") && !tracing.equals(BOTH)) {
                        throw new IllegalArgumentException("--tracing: must be on, off or both, got '" + value + "'");
                    }
                }
                default -> throw new IllegalArgumentException(name + ": unknown option");
            }
        }
        if (scenario == null || scenario.isBlank()) {
            throw new IllegalArgumentException("--scenario: required");
        }
        if (out == null) {
            out = Path.of("target", "loadtest", scenario);
        }
        return new RunOptions(scenario, duration, rate, out, lambdaLatency, ordering, batchMode, tracing);
    }

    private static long longIn(String name, String v, long min, long max) {
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + ": must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": must be an integer, got '" + v + "'");
        }
    }

    private static double doubleIn(String name, String v, double min, double max) {
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isNaN(d) || d < min || d > max) {
                throw new IllegalArgumentException(name + ": must be between " + min + " and " + max + ", got " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": must be a number, got '" + v + "'");
        }
    }
}
