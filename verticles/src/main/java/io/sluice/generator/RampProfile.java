package io.sluice.generator;

import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * A stepped ramp-up of the generator's rate ("1 → 5 → 10 workers" in the seed design).
 *
 * <pre>{@code
 * "ramp": {"steps": [1, 5, 10], "stepSeconds": 30}
 * }</pre>
 *
 * <p>Step {@code i} lasts {@code stepSeconds} from {@code i × stepSeconds}; after the last step the last
 * multiplier holds. Steps are <b>relative to the largest one</b>: the multiplier is
 * {@code steps[i] / max(steps)}, so {@code [1, 5, 10]} runs at 10%, 50%, then 100% of the configured
 * {@code rate}, and the configured rate is always the peak. Without a ramp ({@link #none()}) the
 * multiplier is always 1.
 *
 * <p>Immutable and thread-safe.
 */
public final class RampProfile {

    private static final RampProfile NONE = new RampProfile(new double[] {1}, 1);
    private static final Set<String> KNOWN_KEYS = Set.of("steps", "stepSeconds");
    /** Largest accepted {@code stepSeconds} (one day). */
    public static final double MAX_STEP_SECONDS = 86_400;

    private final double[] steps;
    private final double peak;
    private final long stepMillis;

    private RampProfile(double[] steps, long stepMillis) {
        this.steps = steps.clone();
        this.peak = Arrays.stream(steps).max().orElse(1);
        this.stepMillis = stepMillis;
    }

    /** The flat profile: multiplier 1 at all times. */
    public static RampProfile none() {
        return NONE;
    }

    /**
     * @param steps       the steps, each ≥ 0, at least one > 0
     * @param stepSeconds duration of each step, in (0, {@value #MAX_STEP_SECONDS}]
     * @throws IllegalArgumentException when a value is out of range
     */
    public static RampProfile of(double[] steps, double stepSeconds) {
        if (steps == null || steps.length == 0) {
            throw new IllegalArgumentException("steps must not be empty");
        }
        for (double step : steps) {
            if (!(step >= 0 && Double.isFinite(step))) {
                throw new IllegalArgumentException("steps must be finite numbers >= 0, got " + Arrays.toString(steps));
            }
        }
        if (Arrays.stream(steps).max().getAsDouble() <= 0) {
            throw new IllegalArgumentException("at least one step must be > 0, got " + Arrays.toString(steps));
        }
        if (!(stepSeconds > 0 && stepSeconds <= MAX_STEP_SECONDS)) {
            throw new IllegalArgumentException(
                    "stepSeconds must be in (0, " + MAX_STEP_SECONDS + "], got " + stepSeconds);
        }
        return new RampProfile(steps, Math.max(1, Math.round(stepSeconds * 1000)));
    }

    /**
     * Builds a profile from JSON (see the class comment); {@code null} means {@link #none()}.
     *
     * @param ramp the ramp object
     * @param path dotted path of {@code ramp} in the configuration, used in error messages
     * @throws ConfigException naming the offending key and what is allowed
     */
    public static RampProfile fromJson(JsonObject ramp, String path) {
        if (ramp == null) {
            return none();
        }
        for (String key : ramp.fieldNames()) {
            if (!KNOWN_KEYS.contains(key)) {
                throw new ConfigException(
                        path + "." + key, "unknown key; allowed keys are " + new TreeSet<>(KNOWN_KEYS));
            }
        }
        Object stepsValue = ramp.getValue("steps");
        if (!(stepsValue instanceof JsonArray array) || array.isEmpty()) {
            throw new ConfigException(
                    path + ".steps",
                    "must be a non-empty array of numbers >= 0, got " + (stepsValue == null ? "nothing" : stepsValue));
        }
        double[] steps = new double[array.size()];
        for (int i = 0; i < steps.length; i++) {
            Object step = array.getValue(i);
            if (!(step instanceof Number number)
                    || !(number.doubleValue() >= 0)
                    || !Double.isFinite(number.doubleValue())) {
                throw new ConfigException(path + ".steps[" + i + "]", "must be a number >= 0, got " + step);
            }
            steps[i] = number.doubleValue();
        }
        if (Arrays.stream(steps).max().getAsDouble() <= 0) {
            throw new ConfigException(path + ".steps", "at least one step must be > 0");
        }
        Object seconds = ramp.getValue("stepSeconds");
        if (!(seconds instanceof Number number)
                || !(number.doubleValue() > 0 && number.doubleValue() <= MAX_STEP_SECONDS)) {
            throw new ConfigException(
                    path + ".stepSeconds",
                    "must be a number of seconds in (0, " + (long) MAX_STEP_SECONDS + "], got "
                            + (seconds == null ? "nothing" : seconds));
        }
        return of(steps, number.doubleValue());
    }

    /**
     * The rate multiplier after {@code elapsedMillis} of generation: {@code steps[i] / max(steps)} for the
     * current step {@code i}, in [0, 1]. Negative elapsed times count as the first step.
     */
    public double multiplierAt(long elapsedMillis) {
        return steps[stepAt(elapsedMillis)] / peak;
    }

    /** The index of the step in force after {@code elapsedMillis} (the last one holds). */
    public int stepAt(long elapsedMillis) {
        if (elapsedMillis <= 0) {
            return 0;
        }
        return (int) Math.min(steps.length - 1, elapsedMillis / stepMillis);
    }

    /** Time until the last step starts; 0 for {@link #none()}. */
    public long rampMillis() {
        return (steps.length - 1) * stepMillis;
    }

    /** Duration of one step in milliseconds. */
    public long stepMillis() {
        return stepMillis;
    }

    /** A copy of the configured steps. */
    public double[] steps() {
        return steps.clone();
    }

    @Override
    public String toString() {
        return "RampProfile{steps=" + Arrays.toString(steps) + ", stepMillis=" + stepMillis + "}";
    }
}
