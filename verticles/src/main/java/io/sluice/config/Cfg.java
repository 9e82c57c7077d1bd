package io.sluice.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, validating reader over one JSON object of the configuration. Every getter names the
 * dotted key in its error; {@link #done()} rejects keys nobody read (typos fail fast instead of
 * being silently ignored).
 */
public final class Cfg {
    private final JsonObject json;
    private final String path;
    private final Set<String> read = new LinkedHashSet<>();
    private final Section section;

    /** A reader not bound to a declared section (tests of one settings class): any declared key may be read. */
    public Cfg(JsonObject json, String path) {
        this(json, path, null);
    }

    /** A reader of {@code section}'s keys only: reading a key the section does not declare is a programming error. */
    public Cfg(JsonObject json, String path, Section section) {
        this.json = json == null ? new JsonObject() : json;
        this.path = path;
        this.section = section;
    }

    /**
     * The value of a declared key, validated against its definition (type, range, allowed values); errors name the
     * dotted key. Every settings class reads through this, so what is validated is what is documented.
     */
    public <T> T get(Key<T> key) {
        if (section != null && !section.declares(key)) {
            throw new IllegalStateException(
                    "config key '" + key(key.name()) + "' is read but not declared in its section");
        }
        return key.reader().read(this, key.name());
    }

    /** The dotted path of {@code key} under this object. */
    public String key(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public String path() {
        return path;
    }

    public boolean has(String key) {
        return json.containsKey(key) && json.getValue(key) != null;
    }

    String string(String key, String def) {
        read.add(key);
        Object v = json.getValue(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v); // e.g. an environment override "123" typed as a number
        }
        if (!(v instanceof String s)) {
            throw new ConfigException(key(key), "must be a string, got " + describe(v));
        }
        return s;
    }

    String requiredString(String key) {
        String s = string(key, null);
        if (s == null || s.isBlank()) {
            throw new ConfigException(key(key), "is required (a non-empty string)");
        }
        return s;
    }

    /**
     * An integer in {@code [min, max]}: a JSON number without fraction or its decimal string (environment
     * overrides). Values outside the range are refused naming the key, however large (never wrapped: a number
     * beyond 64 bits is compared as the exact value it is).
     */
    long longIn(String key, long def, long min, long max) {
        read.add(key);
        Object v = json.getValue(key);
        if (v == null) {
            return def;
        }
        java.math.BigDecimal exact;
        if (v instanceof Number num && isIntegral(num)) {
            exact = exact(num);
        } else if (v instanceof String s && s.trim().matches("-?\\d+")) {
            exact = new java.math.BigDecimal(s.trim()); // environment overrides arrive as strings
        } else {
            throw new ConfigException(
                    key(key), "must be an integer between " + min + " and " + max + ", got " + describe(v));
        }
        if (exact.compareTo(java.math.BigDecimal.valueOf(min)) < 0
                || exact.compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
            throw new ConfigException(
                    key(key), "must be between " + min + " and " + max + ", got " + exact.toPlainString());
        }
        return exact.longValueExact();
    }

    private static java.math.BigDecimal exact(Number n) {
        if (n instanceof java.math.BigDecimal bd) {
            return bd;
        }
        if (n instanceof java.math.BigInteger bi) {
            return new java.math.BigDecimal(bi);
        }
        if (n instanceof Double || n instanceof Float) {
            return new java.math.BigDecimal(n.doubleValue());
        }
        return java.math.BigDecimal.valueOf(n.longValue());
    }

    int intIn(String key, int def, int min, int max) {
        return (int) longIn(key, def, min, max);
    }

    double doubleIn(String key, double def, double min, double max) {
        read.add(key);
        Object v = json.getValue(key);
        if (v == null) {
            return def;
        }
        double d;
        if (v instanceof Number num) {
            d = num.doubleValue();
        } else if (v instanceof String s) {
            try {
                d = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(
                        key(key),
                        "must be a number between " + plain(min) + " and " + plain(max) + ", got " + describe(v));
            }
        } else {
            throw new ConfigException(
                    key(key), "must be a number between " + plain(min) + " and " + plain(max) + ", got " + describe(v));
        }
        if (Double.isNaN(d) || d < min || d > max) {
            throw new ConfigException(key(key), "must be between " + plain(min) + " and " + plain(max) + ", got " + d);
        }
        return d;
    }

    boolean bool(String key, boolean def) {
        read.add(key);
        Object v = json.getValue(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new ConfigException(key(key), "must be true or false, got " + describe(v));
    }

    /** A value from a closed set, matched exactly against the map's keys (the config spelling). */
    <E> E oneOf(String key, String def, Map<String, E> allowed) {
        String s = string(key, def);
        E e = allowed.get(s);
        if (e == null) {
            throw new ConfigException(
                    key(key), "must be one of " + String.join(", ", allowed.keySet()) + ", got '" + s + "'");
        }
        return e;
    }

    /** A nested object; missing means empty (defaults apply). */
    Cfg child(String key) {
        return child(key, null);
    }

    Cfg child(String key, Section sub) {
        read.add(key);
        Object v = json.getValue(key);
        if (v != null && !(v instanceof JsonObject)) {
            throw new ConfigException(key(key), "must be a JSON object, got " + describe(v));
        }
        return new Cfg((JsonObject) v, key(key), sub);
    }

    /** A nested object handed to a component that validates it itself. */
    JsonObject rawObject(String key) {
        read.add(key);
        Object v = json.getValue(key);
        if (v == null) {
            return new JsonObject();
        }
        if (!(v instanceof JsonObject o)) {
            throw new ConfigException(key(key), "must be a JSON object, got " + describe(v));
        }
        return o;
    }

    List<Cfg> children(String key, Section sub) {
        read.add(key);
        Object v = json.getValue(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof JsonArray arr)) {
            throw new ConfigException(key(key), "must be a JSON array of objects, got " + describe(v));
        }
        List<Cfg> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            Object o = arr.getValue(i);
            if (!(o instanceof JsonObject jo)) {
                throw new ConfigException(key(key) + "[" + i + "]", "must be a JSON object, got " + describe(o));
            }
            out.add(new Cfg(jo, key(key) + "[" + i + "]", sub));
        }
        return out;
    }

    List<String> strings(String key, List<String> def) {
        read.add(key);
        Object v = json.getValue(key);
        if (v == null) {
            return def;
        }
        if (v instanceof String s) { // "a,b" from an environment override
            List<String> out = new ArrayList<>();
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return List.copyOf(out);
        }
        if (!(v instanceof JsonArray arr)) {
            throw new ConfigException(key(key), "must be a JSON array of strings, got " + describe(v));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            Object o = arr.getValue(i);
            if (!(o instanceof String s) || s.isBlank()) {
                throw new ConfigException(key(key) + "[" + i + "]", "must be a non-empty string, got " + describe(o));
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    /** A flat map of client properties (values rendered as strings). */
    Map<String, String> properties(String key) {
        JsonObject o = rawObject(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : o) {
            Object v = e.getValue();
            if (v instanceof JsonObject || v instanceof JsonArray) {
                throw new ConfigException(key(key) + "." + e.getKey(), "must be a string, number or boolean");
            }
            if (v != null) {
                out.put(e.getKey(), String.valueOf(v));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Fails on any key present in the JSON that no getter asked for. */
    public void done() {
        Set<String> unknown = new TreeSet<>(json.fieldNames());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            Set<String> allowed = new TreeSet<>(read);
            if (section != null) {
                section.keys().forEach(k -> allowed.add(k.name()));
            }
            throw new ConfigException(key(first), "unknown key; allowed here: " + String.join(", ", allowed));
        }
    }

    /** 10000000 rather than 1.0E7 in a message. */
    static String plain(double d) {
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static boolean isIntegral(Number n) {
        if (n instanceof java.math.BigDecimal bd) {
            return bd.stripTrailingZeros().scale() <= 0;
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            return d == Math.rint(d) && !Double.isInfinite(d);
        }
        return true;
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof JsonObject) {
            return "an object";
        }
        if (v instanceof JsonArray) {
            return "an array";
        }
        return String.valueOf(v);
    }
}
