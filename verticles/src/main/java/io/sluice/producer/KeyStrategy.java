package io.sluice.producer;

import io.sluice.config.ConfigException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the producer builds a Kafka record key from an event's business {@code code} and {@code truckId}.
 * The key decides the partition (Kafka hashes it); the producer never chooses a partition number.
 *
 * <ul>
 *   <li>{@link #CODE} ({@code "code"}): key {@code "301"}. Logical isolation per code; a hot code is a
 *       hot partition.</li>
 *   <li>{@link #TRUCK_ID} ({@code "truckId"}): key {@code "T-00042"}. Order per truck across codes.</li>
 *   <li>{@link #CODE_TRUCK_ID} ({@code "code:truckId"}, the default): key {@code "301:T-00042"}.
 *       Order per (code, truck), the best spread.</li>
 * </ul>
 */
public enum KeyStrategy {
    /** Key = the code, e.g. {@code "301"}. */
    CODE("code"),
    /** Key = the truck id, e.g. {@code "T-00042"}. */
    TRUCK_ID("truckId"),
    /** Key = code and truck id joined by a colon, e.g. {@code "301:T-00042"}. */
    CODE_TRUCK_ID("code:truckId");

    private final String configValue;

    KeyStrategy(String configValue) {
        this.configValue = configValue;
    }

    /** The spelling used in configuration, e.g. {@code "code:truckId"}. */
    public String configValue() {
        return configValue;
    }

    /**
     * Parses the configuration spelling (exact, case-sensitive).
     *
     * @param value the configured value, e.g. {@code "code:truckId"}
     * @param path  dotted path of the value itself (e.g. {@code producer.keys.strategy}), for the error
     * @return the strategy
     * @throws ConfigException when the value is not one of {@code code}, {@code truckId}, {@code code:truckId}
     */
    public static KeyStrategy fromConfig(String value, String path) {
        for (KeyStrategy strategy : values()) {
            if (strategy.configValue.equals(value)) {
                return strategy;
            }
        }
        throw new ConfigException(
                path, "must be one of " + allowed() + ", got " + (value == null ? "nothing" : "'" + value + "'"));
    }

    static String allowed() {
        return Arrays.stream(values()).map(KeyStrategy::configValue).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return configValue;
    }
}
