package io.sluice.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.lambda.route.RouteTable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable, validated function configuration.
 *
 * <p>Environment variables (a system property of the same name in lower-case dotted form, e.g.
 * {@code sluice.routes}, is the fallback for local runs):
 * <ul>
 *   <li>{@code SLUICE_ROUTES} (required): the route table JSON, see {@link RouteTable}.</li>
 *   <li>{@code SLUICE_DEDUPE_CAPACITY} (default 100000, 0..10000000; 0 disables): size of the in-memory LRU
 *       of delivered idempotency keys kept by a warm container.</li>
 *   <li>{@code SLUICE_CONNECT_TIMEOUT_MS} (default 2000, 1..60000): HTTP connect timeout.</li>
 *   <li>{@code SLUICE_DEADLINE_MARGIN_MS} (default 500, 0..60000): the function stops waiting for targets this
 *       long before the Lambda timeout and reports unfinished calls as failed.</li>
 * </ul>
 */
public record DispatcherConfig(RouteTable routes, int dedupeCapacity, Duration connectTimeout, Duration deadlineMargin) {

  public static final String ROUTES = "SLUICE_ROUTES";
  public static final String DEDUPE_CAPACITY = "SLUICE_DEDUPE_CAPACITY";
  public static final String CONNECT_TIMEOUT_MS = "SLUICE_CONNECT_TIMEOUT_MS";
  public static final String DEADLINE_MARGIN_MS = "SLUICE_DEADLINE_MARGIN_MS";

  public DispatcherConfig {
    Objects.requireNonNull(routes, "routes");
    requireRange(DEDUPE_CAPACITY, dedupeCapacity, 0, 10_000_000);
    requireRange(CONNECT_TIMEOUT_MS, connectTimeout.toMillis(), 1, 60_000);
    requireRange(DEADLINE_MARGIN_MS, deadlineMargin.toMillis(), 0, 60_000);
  }

  public static DispatcherConfig of(RouteTable routes) {
    return new DispatcherConfig(routes, 100_000, Duration.ofSeconds(2), Duration.ofMillis(500));
  }

  public DispatcherConfig withDedupeCapacity(int capacity) {
    return new DispatcherConfig(routes, capacity, connectTimeout, deadlineMargin);
  }

  /** Reads the configuration; fails fast naming the bad variable and the allowed range. */
  public static DispatcherConfig fromEnvironment(Map<String, String> env, Map<Object, Object> systemProperties,
      ObjectMapper mapper) {
    String routes = lookup(env, systemProperties, ROUTES);
    if (routes == null || routes.isBlank()) {
      throw new IllegalArgumentException(ROUTES + " is required: the route table JSON, e.g. "
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
        (int) number(env, systemProperties, DEDUPE_CAPACITY, 100_000),
        Duration.ofMillis(number(env, systemProperties, CONNECT_TIMEOUT_MS, 2_000)),
        Duration.ofMillis(number(env, systemProperties, DEADLINE_MARGIN_MS, 500)));
  }

  private static String lookup(Map<String, String> env, Map<Object, Object> props, String name) {
    String v = env.get(name);
    if (v == null) {
      Object p = props.get(name.toLowerCase(java.util.Locale.ROOT).replace('_', '.'));
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
