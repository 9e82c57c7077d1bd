package io.sluice.generator;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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

    private GeneratorSettings(
            boolean enabled,
            double rate,
            int trucks,
            Map<Integer, Double> codes,
            double hotKeyShare,
            double hotTrafficShare,
            int payloadBytes,
            RampProfile ramp,
            String eventIdPrefix,
            Long seed) {
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
        return from(new Cfg(json, path, SECTION));
    }

    private static final Key<Boolean> ENABLED = Key.bool("enabled", true, "run the generator");
    private static final Key<Double> RATE =
            Key.number("rate", 1000, 0, MAX_RATE, "events/s (the ramp's peak; 0 = idle)");
    private static final Key<Integer> TRUCKS = Key.integer("trucks", 5000, 1, MAX_TRUCKS, "distinct truck ids");
    private static final Key<JsonObject> CODES = Key.raw(
            "codes", "10 codes, 400/401 80 %", "code -> weight >= 0, at least one > 0: {\"300\": 1, \"400\": 10}");
    private static final Key<Double> HOT_KEY_SHARE =
            Key.number("hotKeyShare", 0.2, 0, 1, "share of the trucks that is hot, in (0, 1)");
    private static final Key<Double> HOT_TRAFFIC_SHARE =
            Key.number("hotTrafficShare", 0.8, 0, 1, "share of the events the hot trucks send, in [hotKeyShare, 1)");
    private static final Key<Cfg> PARETO = Key.object(
            "pareto", Section.of("how trucks are drawn (Pareto: few hot ones)", HOT_KEY_SHARE, HOT_TRAFFIC_SHARE));
    private static final Key<Integer> PAYLOAD_BYTES =
            Key.integer("payloadBytes", 200, MIN_PAYLOAD_BYTES, MAX_PAYLOAD_BYTES, "target size of an event's JSON");
    private static final Key<JsonObject> RAMP = Key.raw(
            "ramp",
            "none",
            "{\"steps\":[1,5,10],\"stepSeconds\":30}: "
                    + "the rate as multiples of its first step, each held stepSeconds (the last step is the peak, rate)");
    private static final Key<String> EVENT_ID_PREFIX =
            Key.string("eventIdPrefix", null, "1-32 of [A-Za-z0-9_-]; default: 8 random characters");
    private static final Key<Long> SEED = Key.longInt(
                    "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE, "random seed, for a reproducible stream; unset = random")
            .defaultShown("—");
    /** {@code generator}. */
    public static final Section SECTION = Section.of(
            "synthetic telemetry through sluice.produce",
            ENABLED,
            RATE,
            TRUCKS,
            CODES,
            PARETO,
            PAYLOAD_BYTES,
            RAMP,
            EVENT_ID_PREFIX,
            SEED);

    /** Reads {@code generator}; every key validated, unknown keys refused. */
    public static GeneratorSettings from(Cfg c) {
        boolean enabled = c.get(ENABLED);
        double rate = c.get(RATE);
        int trucks = c.get(TRUCKS);
        JsonObject codesJson = c.get(CODES); // read (and type-checked) whether given or not
        Map<Integer, Double> codes = c.has("codes") ? codes(codesJson, c.key("codes")) : DEFAULT_CODES;
        Cfg pareto = c.get(PARETO);
        double hotKeyShare = openShare(pareto, HOT_KEY_SHARE);
        double hotTrafficShare = openShare(pareto, HOT_TRAFFIC_SHARE);
        pareto.done();
        if (hotTrafficShare < hotKeyShare) {
            throw new ConfigException(
                    pareto.key("hotTrafficShare"),
                    "must be >= hotKeyShare (" + hotKeyShare + ") and < 1, got " + hotTrafficShare);
        }
        int payloadBytes = c.get(PAYLOAD_BYTES);
        JsonObject rampJson = c.get(RAMP);
        RampProfile ramp = RampProfile.fromJson(c.has("ramp") ? rampJson : null, c.key("ramp"));
        String prefix = c.get(EVENT_ID_PREFIX);
        if (prefix != null && !PREFIX.matcher(prefix).matches()) {
            throw new ConfigException(
                    c.key("eventIdPrefix"), "must be 1-32 characters of [A-Za-z0-9_-], got " + prefix);
        }
        long seedValue = c.get(SEED);
        Long seed = c.has("seed") ? seedValue : null;
        c.done();
        return new GeneratorSettings(
                enabled, rate, trucks, codes, hotKeyShare, hotTrafficShare, payloadBytes, ramp, prefix, seed);
    }

    /** A copy with another peak rate (runtime tuning). */
    public GeneratorSettings withRate(double newRate) {
        if (!(newRate >= 0 && newRate <= MAX_RATE)) {
            throw new IllegalArgumentException("rate must be 0-" + (long) MAX_RATE + ", got " + newRate);
        }
        return new GeneratorSettings(
                enabled, newRate, trucks, codes, hotKeyShare, hotTrafficShare, payloadBytes, ramp, eventIdPrefix, seed);
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
                throw new ConfigException(
                        path + "." + key, "the key must be a code (an integer 0-" + Integer.MAX_VALUE + ")");
            }
            Object weight = json.getValue(key);
            if (!(weight instanceof Number number)
                    || !(number.doubleValue() >= 0)
                    || !Double.isFinite(number.doubleValue())) {
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

    /** A share strictly between 0 and 1 (the definition's range includes the ends). */
    private static double openShare(Cfg c, Key<Double> key) {
        double v = c.get(key);
        if (!(v > 0 && v < 1)) {
            throw new ConfigException(c.key(key.name()), "must be a number in (0, 1) exclusive, got " + v);
        }
        return v;
    }
}
