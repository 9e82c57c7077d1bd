package io.sluice.pipeline;

import io.sluice.config.Cfg;
import io.sluice.config.Key;
import io.sluice.config.Section;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a pipeline does when its consumer fails fatally (the poll loop threw: authorization, fenced static
 * member, a broken consumer): {@code restart} it after {@code initialDelayMs}, doubling up to
 * {@code maxDelayMs} while it keeps failing, or {@code stop} and stay stopped (readiness stays DOWN).
 * Config: {@code pipelines[].restart {"policy":"restart"|"stop","initialDelayMs":1000,"maxDelayMs":60000}}.
 */
public record RestartSettings(boolean restart, long initialDelayMs, long maxDelayMs) {
    public static final RestartSettings DEFAULTS = new RestartSettings(true, 1_000, 60_000);

    private static final Key<Boolean> POLICY = Key.oneOf(
            "policy",
            "restart",
            new TreeMap<>(Map.of("restart", Boolean.TRUE, "stop", Boolean.FALSE)),
            "after a fatal consumer error (the poll loop threw: authorization, fenced static member, ...): restart the "
                    + "pipeline after a delay that doubles while it keeps failing (reset once it ran longer than the "
                    + "maximum), or stop and stay stopped; either way readiness is DOWN naming the pipeline until it runs");
    private static final Key<Long> INITIAL_DELAY_MS =
            Key.longInt("initialDelayMs", DEFAULTS.initialDelayMs(), 10, 3_600_000, "the first restart's delay");
    private static final Key<Long> MAX_DELAY_MS =
            Key.longInt("maxDelayMs", DEFAULTS.maxDelayMs(), 10, 3_600_000, "the largest delay (>= initialDelayMs)");
    /** {@code pipelines[].restart}. */
    public static final Section SECTION = Section.of(
            "what a pipeline does after its consumer failed fatally", POLICY, INITIAL_DELAY_MS, MAX_DELAY_MS);

    public static RestartSettings from(Cfg c) {
        boolean restart = c.get(POLICY);
        long initial = c.get(INITIAL_DELAY_MS);
        long max = c.get(MAX_DELAY_MS);
        if (max < initial) {
            throw new io.sluice.config.ConfigException(
                    c.key("maxDelayMs"), "must be >= restart.initialDelayMs (" + initial + "), got " + max);
        }
        c.done();
        return new RestartSettings(restart, initial, max);
    }

    /**
     * The delay before restart number {@code attempt} (1 = the first after a failure): the initial delay,
     * doubled per further attempt, capped.
     */
    public long delayMs(int attempt) {
        long d = initialDelayMs;
        for (int i = 1; i < attempt && d < maxDelayMs; i++) {
            d *= 2;
        }
        return Math.min(d, maxDelayMs);
    }
}
