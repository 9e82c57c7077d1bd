package io.sluice.launcher;

import io.sluice.config.ConfigException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies environment and system-property overrides on top of the config file.
 * <ul>
 *   <li>environment: {@code SLUICE_<SEGMENT>__<SEGMENT>...}, e.g. {@code SLUICE_GENERATOR__RATE=2000},
 *       {@code SLUICE_PIPELINES__0__LAMBDA__FUNCTION_NAME=dispatcher}; segments match existing keys
 *       ignoring case and underscores; a number segment indexes an array.</li>
 *   <li>system properties: {@code -Dsluice.generator.rate=2000}, same matching, dotted.</li>
 * </ul>
 * Values are strings (typed by the validating reader), or JSON when they start with {@code [} or {@code {}.
 * Pure logic.
 */
public final class ConfigOverrides {
    public static final String ENV_PREFIX = "SLUICE_";
    public static final String SYS_PREFIX = "sluice.";
    /** Variables that are not config paths. */
    private static final java.util.Set<String> RESERVED =
            java.util.Set.of("SLUICE_CONFIG", "SLUICE_KAFKA_CLASSPATH", "SLUICE_ADMIN_TOKEN", "SLUICE_LOG_FORMAT");
    /** System properties that are not config paths (the jars' paths the build hands the ITs, the broker's classpath). */
    /** System properties of the build and the tools that are not config paths ({@code sluice.test.*} neither). */
    private static final java.util.Set<String> NOT_CONFIG = java.util.Set.of(
            "sluice.jar",
            "sluice.ec2.jar",
            "sluice.kafka.classpath",
            "sluice.log.format"); // build and tool properties; logback's log-format switch

    private ConfigOverrides() {}

    /** Returns a copy of {@code base} with overrides from {@code env} and then {@code sys} applied. */
    public static JsonObject apply(JsonObject base, Map<String, ?> env, Map<String, ?> sys) {
        JsonObject out = base.copy();
        for (Map.Entry<String, ?> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (name.startsWith(ENV_PREFIX) && !RESERVED.contains(name) && e.getValue() != null) {
                set(out, name.substring(ENV_PREFIX.length()).split("__"), String.valueOf(e.getValue()), name, false);
            }
        }
        for (Map.Entry<String, ?> e : new TreeMap<>(sys).entrySet()) {
            String name = e.getKey();
            if (name.startsWith(SYS_PREFIX)
                    && e.getValue() != null
                    && !NOT_CONFIG.contains(name)
                    && !name.startsWith(SYS_PREFIX + "test.")) {
                set(out, name.substring(SYS_PREFIX.length()).split("\\."), String.valueOf(e.getValue()), name, true);
            }
        }
        return out;
    }

    private static void set(JsonObject root, String[] segments, String value, String source, boolean mayCreate) {
        Object node = root;
        for (int i = 0; i < segments.length; i++) {
            String seg = segments[i];
            boolean last = i == segments.length - 1;
            if (node instanceof JsonObject obj) {
                String key = match(obj, seg);
                if (key == null) {
                    if (!mayCreate) {
                        throw new ConfigException(
                                source,
                                "names no key of the config file (no '" + seg
                                        + "' here); add the key to the file, or use -D" + SYS_PREFIX + "<dotted.path>");
                    }
                    key = seg;
                }
                if (last) {
                    obj.put(key, parse(value));
                    return;
                }
                Object next = obj.getValue(key);
                if (next == null) {
                    next = new JsonObject();
                    obj.put(key, next);
                }
                node = next;
            } else if (node instanceof JsonArray arr) {
                int idx;
                try {
                    idx = Integer.parseInt(seg);
                } catch (NumberFormatException ex) {
                    throw new ConfigException(source, "'" + seg + "' must be an array index");
                }
                if (idx < 0 || idx >= arr.size()) {
                    throw new ConfigException(
                            source, "index " + idx + " is outside the array (size " + arr.size() + ")");
                }
                if (last) {
                    arr.set(idx, parse(value));
                    return;
                }
                node = arr.getValue(idx);
            } else {
                throw new ConfigException(source, "'" + seg + "' is under a value that is not an object or array");
            }
        }
    }

    private static String match(JsonObject obj, String segment) {
        if (obj.containsKey(segment)) {
            return segment;
        }
        String want = normalize(segment);
        for (String k : obj.fieldNames()) {
            if (normalize(k).equals(want)) {
                return k;
            }
        }
        return null;
    }

    private static String normalize(String s) {
        return s.replace("_", "").replace("-", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** Typed like JSON would be: numbers, booleans, objects and arrays; anything else stays a string. */
    private static Object parse(String v) {
        String t = v.trim();
        if (t.matches("-?\\d{1,18}")) {
            return Long.parseLong(t);
        }
        if (t.matches("-?\\d+\\.\\d+([eE][-+]?\\d+)?")) {
            return Double.parseDouble(t);
        }
        if (t.equals("true") || t.equals("false")) {
            return Boolean.parseBoolean(t);
        }
        try {
            if (t.startsWith("{")) {
                return new JsonObject(t);
            }
            if (t.startsWith("[")) {
                return new JsonArray(t);
            }
        } catch (DecodeException e) {
            return v;
        }
        return v;
    }
}
