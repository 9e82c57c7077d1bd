package io.sluice.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.lambda.dedupe.DedupeSettings;
import io.sluice.lambda.route.RouteTable;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable, validated function configuration.
 *
 * <p>Environment variables (a system property of the same name in lower-case dotted form, e.g.
 * {@code sluice.routes}, is the fallback for local runs):
 * <ul>
 *   <li>{@code SLUICE_ROUTES} (required): the route table JSON, see {@link RouteTable}.</li>
 *   <li>{@code SLUICE_DEDUPE_MODE} ({@code off | memory | dynamodb}; default {@code memory}, or {@code off} when
 *       {@code SLUICE_DEDUPE_CAPACITY} is 0): where delivered idempotency keys are kept, see {@link DedupeSettings}.</li>
 *   <li>{@code SLUICE_DEDUPE_CAPACITY} (default 100000, 0..10000000; 0 disables the memory mode): size of the
 *       in-memory LRU of delivered idempotency keys kept by a warm container.</li>
 *   <li>{@code SLUICE_DEDUPE_ONLY_SUSPECTS} ({@code true|false}, default false): claim only records Sluice marked as
 *       possible redeliveries ({@code dedupe.onlySuspects}).</li>
 *   <li>{@code SLUICE_DEDUPE_TABLE} (required for dynamodb), {@code SLUICE_DEDUPE_ENDPOINT} (optional endpoint
 *       override), {@code SLUICE_DEDUPE_REGION} (default: the SDK's chain, {@code AWS_REGION} in Lambda),
 *       {@code SLUICE_DEDUPE_TTL_SECONDS} (86400), {@code SLUICE_DEDUPE_LOCK_MS} (60000),
 *       {@code SLUICE_DEDUPE_PARALLELISM} (16), {@code SLUICE_DEDUPE_TIMEOUT_MS} (2000).</li>
 *   <li>{@code SLUICE_CONNECT_TIMEOUT_MS} (default 2000, 1..60000): HTTP connect timeout.</li>
 *   <li>{@code SLUICE_DEADLINE_MARGIN_MS} (default 500, 0..60000): the function stops waiting for targets this
 *       long before the Lambda timeout and reports unfinished calls as failed.</li>
 * </ul>
 */
public record DispatcherConfig(
        RouteTable routes, DedupeSettings dedupe, Duration connectTimeout, Duration deadlineMargin) {

    public static final String ROUTES = "SLUICE_ROUTES";
    public static final String DEDUPE_MODE = "SLUICE_DEDUPE_MODE";
    public static final String DEDUPE_CAPACITY = "SLUICE_DEDUPE_CAPACITY";
    public static final String DEDUPE_ONLY_SUSPECTS = "SLUICE_DEDUPE_ONLY_SUSPECTS";
    public static final String DEDUPE_TABLE = "SLUICE_DEDUPE_TABLE";
    public static final String DEDUPE_ENDPOINT = "SLUICE_DEDUPE_ENDPOINT";
    public static final String DEDUPE_REGION = "SLUICE_DEDUPE_REGION";
    public static final String DEDUPE_TTL_SECONDS = "SLUICE_DEDUPE_TTL_SECONDS";
    public static final String DEDUPE_LOCK_MS = "SLUICE_DEDUPE_LOCK_MS";
    public static final String DEDUPE_PARALLELISM = "SLUICE_DEDUPE_PARALLELISM";
    public static final String DEDUPE_TIMEOUT_MS = "SLUICE_DEDUPE_TIMEOUT_MS";
    public static final String CONNECT_TIMEOUT_MS = "SLUICE_CONNECT_TIMEOUT_MS";
    public static final String DEADLINE_MARGIN_MS = "SLUICE_DEADLINE_MARGIN_MS";

    public DispatcherConfig {
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(dedupe, "dedupe");
        requireRange(CONNECT_TIMEOUT_MS, connectTimeout.toMillis(), 1, 60_000);
        requireRange(DEADLINE_MARGIN_MS, deadlineMargin.toMillis(), 0, 60_000);
    }

    public static DispatcherConfig of(RouteTable routes) {
        return new DispatcherConfig(
                routes, DedupeSettings.memory(100_000), Duration.ofSeconds(2), Duration.ofMillis(500));
    }

    /** The in-memory LRU of {@code capacity} keys (0 = dedupe off). */
    public DispatcherConfig withDedupeCapacity(int capacity) {
        requireRange(DEDUPE_CAPACITY, capacity, 0, 10_000_000);
        return new DispatcherConfig(routes, DedupeSettings.memory(capacity), connectTimeout, deadlineMargin);
    }

    public DispatcherConfig withDedupe(DedupeSettings settings) {
        return new DispatcherConfig(routes, settings, connectTimeout, deadlineMargin);
    }

    /** Keys of the in-memory LRU (mode memory), 0 when the mode is not memory. */
    public int dedupeCapacity() {
        return dedupe.mode() == DedupeSettings.Mode.MEMORY ? dedupe.capacity() : 0;
    }

    /** Reads the configuration; fails fast naming the bad variable and the allowed range. */
    public static DispatcherConfig fromEnvironment(
            Map<String, String> env, Map<Object, Object> systemProperties, ObjectMapper mapper) {
        String routes = lookup(env, systemProperties, ROUTES);
        if (routes == null || routes.isBlank()) {
            throw new IllegalArgumentException(
                    ROUTES + " is required: the route table JSON, e.g. "
                            + "{\"targets\":{\"sink\":{\"type\":\"http\",\"url\":\"https://host/events\"}},\"default\":[\"sink\"]}");
        }
        RouteTable table;
        try {
            table = RouteTable.fromJson(routes, mapper);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ROUTES + ": " + e.getMessage(), e);
        }
        return new DispatcherConfig(
                table,
                dedupe(env, systemProperties),
                Duration.ofMillis(number(env, systemProperties, CONNECT_TIMEOUT_MS, 2_000)),
                Duration.ofMillis(number(env, systemProperties, DEADLINE_MARGIN_MS, 500)));
    }

    private static DedupeSettings dedupe(Map<String, String> env, Map<Object, Object> props) {
        long capacity = number(env, props, DEDUPE_CAPACITY, 100_000);
        requireRange(DEDUPE_CAPACITY, capacity, 0, 10_000_000);
        String modeText = lookup(env, props, DEDUPE_MODE);
        DedupeSettings.Mode mode = modeText == null || modeText.isBlank()
                ? (capacity == 0 ? DedupeSettings.Mode.OFF : DedupeSettings.Mode.MEMORY)
                : DedupeSettings.Mode.parse(DEDUPE_MODE, modeText);
        String endpoint = lookup(env, props, DEDUPE_ENDPOINT);
        URI uri;
        try {
            uri = endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(DEDUPE_ENDPOINT + " must be a URL but was '" + endpoint + "'", e);
        }
        String region = lookup(env, props, DEDUPE_REGION);
        return new DedupeSettings(
                mode,
                (int) capacity,
                bool(env, props, DEDUPE_ONLY_SUSPECTS),
                lookup(env, props, DEDUPE_TABLE),
                uri,
                region == null || region.isBlank() ? null : region.trim(),
                number(env, props, DEDUPE_TTL_SECONDS, 86_400),
                number(env, props, DEDUPE_LOCK_MS, 60_000),
                (int) number(env, props, DEDUPE_PARALLELISM, 16),
                number(env, props, DEDUPE_TIMEOUT_MS, 2_000));
    }

    private static boolean bool(Map<String, String> env, Map<Object, Object> props, String name) {
        String v = lookup(env, props, name);
        if (v == null || v.isBlank()) {
            return false;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false but was '" + v + "'");
        };
    }

    private static String lookup(Map<String, String> env, Map<Object, Object> props, String name) {
        String v = env.get(name);
        if (v == null) {
            Object p = props.get(name.toLowerCase(Locale.ROOT).replace('_', '.'));
            v = p == null ? null : p.toString();
        }
        return v;
    }

    private static long number(Map<String, String> env, Map<Object, Object> props, String name, long dflt) {
        String v = lookup(env, props, name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer but was '" + v + "'", e);
        }
    }

    private static void requireRange(String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + " but was " + v);
        }
    }
}
