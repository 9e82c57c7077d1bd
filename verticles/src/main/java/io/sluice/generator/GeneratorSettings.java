package io.sluice.generator;

import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Settings of the load generator, built once from JSON and validated.
 *
 * <pre>{@code
 * "generator": {
 *   "enabled": true,                       // default true
 *   "rate": 1000,                          // events/s, 0-10000000 (default 1000); the ramp's peak
 *   "trucks": 5000,                        // distinct truck ids, 1-1000000 (default 5000)
 *   "codes": {"300": 1, "400": 10},        // code -> weight >= 0 (default: DEFAULT_CODES)
 *   "pareto": {"hotKeyShare": 0.2,         // (0, 1), default 0.2
 *              "hotTrafficShare": 0.8},    // [hotKeyShare, 1), default 0.8
 *   "payloadBytes": 200,                   // target JSON size, 128-1048576 (default 200)
 *   "ramp": {"steps": [1, 5, 10], "stepSeconds": 30},   // optional, see RampProfile
 *   "eventIdPrefix": "run42",              // optional, 1-32 of [A-Za-z0-9_-] (default: random 8 chars)
 *   "seed": 42                             // optional random seed, for a reproducible stream
 * }
 * }</pre>
 *
 * <p>Codes are drawn by weight; trucks by a {@link ParetoSampler} with the {@code pareto} shares.
 * Unknown keys are rejected. Immutable and thread-safe.
 */
public final class GeneratorSettings {

    /** Largest accepted {@code rate}. */
    public static final double MAX_RATE = 10_000_000;
    /** Largest accepted {@code trucks}. */
    public static final int MAX_TRUCKS = 1_000_000;
    /** Smallest accepted {@code payloadBytes} (the core fields alone take about 100 bytes). */
    public static final int MIN_PAYLOAD_BYTES = 128;
    /** Largest accepted {@code payloadBytes}. */
    public static final int MAX_PAYLOAD_BYTES = 1_048_576;

    /**
     * The default code mix: 10 codes where two (400, 401: 20% of the codes) carry 80% of the weight;
     * the 300-series carries 15% ({@code mt-c300} is the smaller domain, {@code mt-c400} the hot one).
     */
    public static final Map<Integer, Double> DEFAULT_CODES = defaultCodes();

    private static final Set<String> KNOWN_KEYS = Set.of("enabled", "rate", "trucks", "codes", "pareto",
            "payloadBytes", "ramp", "eventIdPrefix", "seed");
    private static final Set<String> PARETO_KEYS = Set.of("hotKeyShare", "hotTrafficShare");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final boolean enabled;
    private final double rate;
    private final int trucks;
    private final Map<Integer, Double> codes;
    private final double hotKeyShare;
    private final double hotTrafficShare;
    private final int payloadBytes;
    private final RampProfile ramp;
    private final String eventIdPrefix;
    private final Long seed;

    private GeneratorSettings(boolean enabled, double rate, int trucks, Map<Integer, Double> codes,
                              double hotKeyShare, double hotTrafficShare, int payloadBytes, RampProfile ramp,
                              String eventIdPrefix, Long seed) {
        this.enabled = enabled;
        this.rate = rate;
        this.trucks = trucks;
        this.codes = Collections.unmodifiableMap(new LinkedHashMap<>(codes));
        this.hotKeyShare = hotKeyShare;
        this.hotTrafficShare = hotTrafficShare;
        this.payloadBytes = payloadBytes;
        this.ramp = ramp;
        this.eventIdPrefix = eventIdPrefix;
        this.seed = seed;
    }

    /** All defaults (enabled, 1000/s, 5000 trucks, {@link #DEFAULT_CODES}, 0.2/0.8, 200 bytes, no ramp). */
    public static GeneratorSettings defaults() {
        return fromJson(new JsonObject(), "generator");
    }

    /**
     * Builds the settings from JSON (see the class comment).
     *
     * @param json the generator object; {@code null} means {@link #defaults()}
     * @param path dotted path of the object in the configuration, used in error messages
     * @throws ConfigException naming the offending key and what is allowed
     */
    public static GeneratorSettings fromJson(JsonObject json, String path) {
        if (json == null) {
            json = new JsonObject();
        }
        requireKnownKeys(json, path, KNOWN_KEYS);

        Object enabledValue = json.getValue("enabled");
        if (enabledValue != null && !(enabledValue instanceof Boolean)) {
            throw new ConfigException(path + ".enabled", "must be true or false, got " + enabledValue);
        }
        boolean enabled = enabledValue == null || (Boolean) enabledValue;
        double rate = number(json, "rate", path, 0, MAX_RATE, false, 1000);
        int trucks = (int) number(json, "trucks", path, 1, MAX_TRUCKS, true, 5000);
        Map<Integer, Double> codes = codes(json.getValue("codes"), path + ".codes");

        Object paretoValue = json.getValue("pareto");
        double hotKeyShare = 0.2;
        double hotTrafficShare = 0.8;
        if (paretoValue != null) {
            if (!(paretoValue instanceof JsonObject pareto)) {
                throw new ConfigException(path + ".pareto", "must be an object {\"hotKeyShare\":0.2,\"hotTrafficShare\":0.8}, got " + paretoValue);
            }
            requireKnownKeys(pareto, path + ".pareto", PARETO_KEYS);
            hotKeyShare = openShare(pareto, "hotKeyShare", path + ".pareto", 0.2);
            hotTrafficShare = openShare(pareto, "hotTrafficShare", path + ".pareto", 0.8);
            if (hotTrafficShare < hotKeyShare) {
                throw new ConfigException(path + ".pareto.hotTrafficShare", "must be >= hotKeyShare (" + hotKeyShare
                        + ") and < 1, got " + hotTrafficShare);
            }
        }
        int payloadBytes = (int) number(json, "payloadBytes", path, MIN_PAYLOAD_BYTES, MAX_PAYLOAD_BYTES, true, 200);

        Object rampValue = json.getValue("ramp");
        if (rampValue != null && !(rampValue instanceof JsonObject)) {
            throw new ConfigException(path + ".ramp", "must be an object {\"steps\":[...],\"stepSeconds\":30}, got " + rampValue);
        }
        RampProfile ramp = RampProfile.fromJson((JsonObject) rampValue, path + ".ramp");

        Object prefixValue = json.getValue("eventIdPrefix");
        if (prefixValue != null && !(prefixValue instanceof String s && PREFIX.matcher(s).matches())) {
            throw new ConfigException(path + ".eventIdPrefix", "must be 1-32 characters of [A-Za-z0-9_-], got " + prefixValue);
        }
        Object seedValue = json.getValue("seed");
        if (seedValue != null && !(seedValue instanceof Integer || seedValue instanceof Long)) {
            throw new ConfigException(path + ".seed", "must be an integer (64-bit), got " + seedValue);
        }
        return new GeneratorSettings(enabled, rate, trucks, codes, hotKeyShare, hotTrafficShare, payloadBytes, ramp,
                (String) prefixValue, seedValue == null ? null : ((Number) seedValue).longValue());
    }

    /** A copy with another peak rate (runtime tuning). */
    public GeneratorSettings withRate(double newRate) {
        if (!(newRate >= 0 && newRate <= MAX_RATE)) {
            throw new IllegalArgumentException("rate must be 0-" + (long) MAX_RATE + ", got " + newRate);
        }
        return new GeneratorSettings(enabled, newRate, trucks, codes, hotKeyShare, hotTrafficShare, payloadBytes, ramp,
                eventIdPrefix, seed);
    }

    /** Whether the generator runs. */
    public boolean enabled() {
        return enabled;
    }

    /** Peak rate in events per second (the ramp multiplies it by at most 1). */
    public double rate() {
        return rate;
    }

    /** Number of distinct trucks. */
    public int trucks() {
        return trucks;
    }

    /** Code → weight (≥ 0, at least one > 0), in configuration order, unmodifiable. */
    public Map<Integer, Double> codes() {
        return codes;
    }

    /** Share of the trucks that is hot. */
    public double hotKeyShare() {
        return hotKeyShare;
    }

    /** Share of the events the hot trucks produce. */
    public double hotTrafficShare() {
        return hotTrafficShare;
    }

    /** Target size of a serialized event, in bytes. */
    public int payloadBytes() {
        return payloadBytes;
    }

    /** The ramp profile ({@link RampProfile#none()} when not configured). */
    public RampProfile ramp() {
        return ramp;
    }

    /** The configured event-id prefix, if any. */
    public Optional<String> eventIdPrefix() {
        return Optional.ofNullable(eventIdPrefix);
    }

    /** The configured random seed, if any. */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    @Override
    public String toString() {
        return "GeneratorSettings{enabled=" + enabled + ", rate=" + rate + ", trucks=" + trucks + ", codes=" + codes
                + ", hotKeyShare=" + hotKeyShare + ", hotTrafficShare=" + hotTrafficShare + ", payloadBytes="
                + payloadBytes + ", ramp=" + ramp + ", eventIdPrefix=" + eventIdPrefix + ", seed=" + seed + "}";
    }

    private static Map<Integer, Double> defaultCodes() {
        Map<Integer, Double> codes = new LinkedHashMap<>();
        codes.put(400, 50d);
        codes.put(401, 30d);
        codes.put(300, 6d);
        codes.put(301, 4d);
        codes.put(302, 3d);
        codes.put(303, 2d);
        codes.put(402, 2d);
        codes.put(403, 1d);
        codes.put(404, 1d);
        codes.put(405, 1d);
        return Collections.unmodifiableMap(codes);
    }

    private static Map<Integer, Double> codes(Object value, String path) {
        if (value == null) {
            return DEFAULT_CODES;
        }
        if (!(value instanceof JsonObject json) || json.isEmpty()) {
            throw new ConfigException(path, "must be a non-empty object {\"<code>\": <weight>}, got " + value);
        }
        Map<Integer, Double> codes = new LinkedHashMap<>();
        double total = 0;
        for (String key : json.fieldNames()) {
            int code;
            try {
                code = Integer.parseInt(key);
            } catch (NumberFormatException e) {
                code = -1;
            }
            if (code < 0 || !String.valueOf(code).equals(key)) {
                throw new ConfigException(path + "." + key, "the key must be a code (an integer 0-" + Integer.MAX_VALUE + ")");
            }
            Object weight = json.getValue(key);
            if (!(weight instanceof Number number) || !(number.doubleValue() >= 0) || !Double.isFinite(number.doubleValue())) {
                throw new ConfigException(path + "." + key, "must be a weight, a number >= 0, got " + weight);
            }
            codes.put(code, number.doubleValue());
            total += number.doubleValue();
        }
        if (total <= 0) {
            throw new ConfigException(path, "at least one weight must be > 0");
        }
        return codes;
    }

    private static double openShare(JsonObject json, String key, String path, double defaultValue) {
        Object value = json.getValue(key);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof Number number) || !(number.doubleValue() > 0 && number.doubleValue() < 1)) {
            throw new ConfigException(path + "." + key, "must be a number in (0, 1) exclusive, got " + value);
        }
        return number.doubleValue();
    }

    private static double number(JsonObject json, String key, String path, double min, double max,
                                 boolean integral, double defaultValue) {
        Object value = json.getValue(key);
        if (value == null) {
            return defaultValue;
        }
        double d = value instanceof Number number ? number.doubleValue() : Double.NaN;
        if (!(d >= min && d <= max) || (integral && d != Math.rint(d))) {
            throw new ConfigException(path + "." + key, "must be " + (integral ? "an integer" : "a number") + " from "
                    + (long) min + " to " + (long) max + ", got " + value);
        }
        return d;
    }

    private static void requireKnownKeys(JsonObject json, String path, Set<String> allowed) {
        for (String key : json.fieldNames()) {
            if (!allowed.contains(key)) {
                throw new ConfigException(path + "." + key, "unknown key; allowed keys are " + new TreeSet<>(allowed));
            }
        }
    }
}
