package io.sluice.pipeline;

import io.sluice.config.Cfg;

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

    public static RestartSettings from(Cfg c) {
        boolean restart = c.oneOf("policy", "restart", new TreeMap<>(Map.of("restart", Boolean.TRUE, "stop", Boolean.FALSE)));
        long initial = c.longIn("initialDelayMs", DEFAULTS.initialDelayMs(), 10, 3_600_000);
        long max = c.longIn("maxDelayMs", DEFAULTS.maxDelayMs(), 10, 3_600_000);
        if (max < initial) {
            throw new io.sluice.config.ConfigException(c.key("maxDelayMs"),
                    "must be >= restart.initialDelayMs (" + initial + "), got " + max);
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
