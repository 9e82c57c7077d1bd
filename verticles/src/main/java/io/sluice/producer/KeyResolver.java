package io.sluice.producer;

import io.sluice.config.ConfigException;
import io.sluice.hash.Murmur3;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the Kafka record key of an event. The producer chooses the key, Kafka chooses the partition:
 * no partition number is ever set.
 *
 * <pre>{@code
 * "keys": {
 *   "strategy": "code:truckId",   // code | truckId | code:truckId (default)
 *   "hotCodes": {"400": 8}        // optional: code -> number of sub-keys (1-1024)
 * }
 * }</pre>
 *
 * <p><b>Hot codes.</b> A code listed in {@code hotCodes} with N sub-keys gets the key
 * {@code "<code>#<n>"} (e.g. {@code "400#3"}) whatever the strategy, where
 * {@code n = subKeyIndex(truckId, N)}. The code's traffic stays grouped under N keys that Kafka spreads
 * over up to N partitions, and a given truck always lands on the same sub-key, so per-truck order within
 * the code holds.
 *
 * <p><b>Hash.</b> {@link #stableHash(String)} is MurmurHash3 x86 32-bit, seed 0, over the UTF-8 bytes
 * of the truck id; {@code n = (hash & 0x7fffffff) % N}. {@code String.hashCode()} would be stable too
 * (the JLS fixes it), but it is defined over UTF-16 code units and mixes poorly: ids that differ in the
 * last character get consecutive hashes. MurmurHash3 over UTF-8 avalanches, and any producer in another
 * language (the seed design has .NET producers) can compute the same sub-key from the same bytes.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyResolver {

    /** Largest number of sub-keys a hot code may have. */
    public static final int MAX_SUB_KEYS = 1024;

    private static final Set<String> KNOWN_KEYS = Set.of("strategy", "hotCodes");

    private final KeyStrategy strategy;
    private final Map<Integer, Integer> hotCodes;

    /**
     * @param strategy the strategy for ordinary codes
     * @param hotCodes code → number of sub-keys (each 1-{@value #MAX_SUB_KEYS})
     */
    public KeyResolver(KeyStrategy strategy, Map<Integer, Integer> hotCodes) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        hotCodes.forEach((code, n) -> {
            if (code < 0 || n < 1 || n > MAX_SUB_KEYS) {
                throw new IllegalArgumentException(
                        "hot code " + code + " -> " + n + ": code must be >= 0 and sub-keys 1-" + MAX_SUB_KEYS);
            }
        });
        this.hotCodes = Collections.unmodifiableMap(new TreeMap<>(hotCodes));
    }

    /**
     * Builds a resolver from its JSON configuration (see the class comment); unknown keys are rejected.
     *
     * @param keys the keys object; {@code null} means all defaults
     * @param path dotted path of {@code keys} in the configuration, used in error messages
     * @throws ConfigException naming the offending key and what is allowed
     */
    public static KeyResolver fromJson(JsonObject keys, String path) {
        if (keys == null) {
            return new KeyResolver(KeyStrategy.CODE_TRUCK_ID, Map.of());
        }
        for (String key : keys.fieldNames()) {
            if (!KNOWN_KEYS.contains(key)) {
                throw new ConfigException(
                        path + "." + key, "unknown key; allowed keys are " + new TreeSet<>(KNOWN_KEYS));
            }
        }
        Object strategyValue = keys.getValue("strategy");
        KeyStrategy strategy;
        if (strategyValue == null) {
            strategy = KeyStrategy.CODE_TRUCK_ID;
        } else if (strategyValue instanceof String s) {
            strategy = KeyStrategy.fromConfig(s, path + ".strategy");
        } else {
            throw new ConfigException(
                    path + ".strategy", "must be one of " + KeyStrategy.allowed() + ", got " + strategyValue);
        }

        Map<Integer, Integer> hot = new TreeMap<>();
        Object hotValue = keys.getValue("hotCodes");
        if (hotValue != null) {
            if (!(hotValue instanceof JsonObject hotJson)) {
                throw new ConfigException(
                        path + ".hotCodes", "must be an object {\"<code>\": <sub-keys>}, got " + hotValue);
            }
            for (String codeText : hotJson.fieldNames()) {
                String entryPath = path + ".hotCodes." + codeText;
                int code;
                try {
                    code = Integer.parseInt(codeText);
                } catch (NumberFormatException e) {
                    code = -1;
                }
                if (code < 0 || !String.valueOf(code).equals(codeText)) {
                    throw new ConfigException(
                            entryPath, "the key must be a code (an integer 0-" + Integer.MAX_VALUE + ")");
                }
                Integer n = intIn(hotJson.getValue(codeText), 1, MAX_SUB_KEYS);
                if (n == null) {
                    throw new ConfigException(
                            entryPath,
                            "must be a number of sub-keys, an integer 1-" + MAX_SUB_KEYS + ", got "
                                    + hotJson.getValue(codeText));
                }
                hot.put(code, n);
            }
        }
        return new KeyResolver(strategy, hot);
    }

    /**
     * The record key for an event.
     *
     * @param code    the business code
     * @param truckId the truck id (required, non-null, for {@code truckId}, {@code code:truckId} and hot codes)
     * @return e.g. {@code "301"}, {@code "T-00042"}, {@code "301:T-00042"} or, for a hot code, {@code "400#3"}
     */
    public String key(int code, String truckId) {
        Integer subKeys = hotCodes.get(code);
        if (subKeys != null) {
            return code + "#" + subKeyIndex(Objects.requireNonNull(truckId, "truckId"), subKeys);
        }
        return switch (strategy) {
            case CODE -> Integer.toString(code);
            case TRUCK_ID -> Objects.requireNonNull(truckId, "truckId");
            case CODE_TRUCK_ID -> code + ":" + Objects.requireNonNull(truckId, "truckId");
        };
    }

    /** The strategy for codes that are not hot. */
    public KeyStrategy strategy() {
        return strategy;
    }

    /** Hot codes → number of sub-keys, sorted by code, unmodifiable. */
    public Map<Integer, Integer> hotCodes() {
        return hotCodes;
    }

    /**
     * The sub-key index of a truck for a hot code with {@code subKeys} sub-keys:
     * {@code (stableHash(truckId) & 0x7fffffff) % subKeys}, in {@code [0, subKeys)}.
     */
    public static int subKeyIndex(String truckId, int subKeys) {
        if (subKeys < 1) {
            throw new IllegalArgumentException("subKeys must be >= 1, got " + subKeys);
        }
        return (stableHash(truckId) & 0x7fffffff) % subKeys;
    }

    /**
     * MurmurHash3 x86 32-bit with seed 0 over the UTF-8 bytes of {@code s}; the same value in every JVM
     * and in any other MurmurHash3 implementation (e.g. {@code "hello"} → {@code 0x248bfa47}).
     */
    public static int stableHash(String s) {
        return Murmur3.hash32(s.getBytes(StandardCharsets.UTF_8), 0);
    }

    @Override
    public String toString() {
        return "KeyResolver{strategy=" + strategy + ", hotCodes=" + hotCodes + "}";
    }

    private static Integer intIn(Object value, int min, int max) {
        if (!(value instanceof Number number)) {
            return null;
        }
        BigDecimal decimal;
        try {
            decimal = new BigDecimal(number.toString());
        } catch (NumberFormatException e) {
            return null;
        }
        if (decimal.compareTo(BigDecimal.valueOf(min)) < 0 || decimal.compareTo(BigDecimal.valueOf(max)) > 0) {
            return null;
        }
        try {
            return decimal.intValueExact();
        } catch (ArithmeticException notIntegral) {
            return null;
        }
    }
}
