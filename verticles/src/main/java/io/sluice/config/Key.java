package io.sluice.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One config key, declared once: its name, type, default, allowed range or values and description. The settings
 * classes read their values only through {@link Cfg#get(Key)}, so the range a key is validated against is the range
 * its definition documents, and {@code docs/configuration.md} is generated from the same definitions
 * ({@link ConfigReference}).
 *
 * @param name        the key inside its section, e.g. {@code maxRecords}
 * @param type        the JSON type as documented: {@code integer}, {@code number}, {@code boolean}, {@code string},
 *                    {@code enum}, {@code string[]}, {@code object}, {@code object[]}, {@code properties}
 * @param defaultText the default as documented ({@code —} when none)
 * @param allowed     the range or values as documented (empty when any value of the type)
 * @param description what it does
 * @param section     the section inside (objects and arrays of objects), else {@code null}
 * @param reader      how {@link Cfg} reads and validates it
 */
public record Key<T>(
        String name,
        String type,
        String defaultText,
        String allowed,
        String description,
        Section section,
        Reader<T> reader) {
    private static final String NONE = "—";

    /** How a key's value is read and validated from its section. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(Cfg c, String name);
    }

    public Key {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(reader, "reader");
    }

    public static Key<Integer> integer(String name, int def, int min, int max, String description) {
        return new Key<>(
                name,
                "integer",
                String.valueOf(def),
                range(min, max),
                description,
                null,
                (c, n) -> c.intIn(n, def, min, max));
    }

    public static Key<Long> longInt(String name, long def, long min, long max, String description) {
        return new Key<>(
                name,
                "integer",
                String.valueOf(def),
                range(min, max),
                description,
                null,
                (c, n) -> c.longIn(n, def, min, max));
    }

    public static Key<Double> number(String name, double def, double min, double max, String description) {
        return new Key<>(
                name,
                "number",
                Cfg.plain(def),
                Cfg.plain(min) + " – " + Cfg.plain(max),
                description,
                null,
                (c, n) -> c.doubleIn(n, def, min, max));
    }

    public static Key<Boolean> bool(String name, boolean def, String description) {
        return new Key<>(name, "boolean", String.valueOf(def), "", description, null, (c, n) -> c.bool(n, def));
    }

    /** A string; {@code def} may be {@code null} (absent means unset). */
    public static Key<String> string(String name, String def, String description) {
        return new Key<>(name, "string", def == null ? NONE : def, "", description, null, (c, n) -> c.string(n, def));
    }

    /** A non-empty string the config must give. */
    public static Key<String> required(String name, String description) {
        return new Key<>(name, "string", "required", "non-empty", description, null, (c, n) -> c.requiredString(n));
    }

    /** One of a closed set of spellings, mapped to values. */
    public static <E> Key<E> oneOf(String name, String def, Map<String, E> values, String description) {
        Map<String, E> ordered = values instanceof java.util.LinkedHashMap || values instanceof java.util.SortedMap
                ? values
                : new java.util.TreeMap<>(values); // a stable order for the message and the docs
        return new Key<>(
                name,
                "enum",
                def,
                String.join(", ", ordered.keySet()),
                description,
                null,
                (c, n) -> c.oneOf(n, def, ordered));
    }

    public static Key<List<String>> strings(String name, List<String> def, String description) {
        return new Key<>(
                name,
                "string[]",
                def == null ? NONE : def.isEmpty() ? "[]" : String.join(",", def),
                "",
                description,
                null,
                (c, n) -> c.strings(n, def));
    }

    /** A flat object of client properties (values rendered as strings). */
    public static Key<Map<String, String>> properties(String name, String description) {
        return new Key<>(name, "properties", "{}", "", description, null, (c, n) -> c.properties(n));
    }

    /** A nested object whose keys are {@code section}'s; absent means every default. */
    public static Key<Cfg> object(String name, Section section) {
        return new Key<>(name, "object", "{}", "", section.description(), section, (c, n) -> c.child(n, section));
    }

    /** An array of objects, each with {@code section}'s keys. */
    public static Key<List<Cfg>> objects(String name, Section section) {
        return new Key<>(name, "object[]", "[]", "", section.description(), section, (c, n) -> c.children(n, section));
    }

    /** An object that a component validates itself (its shape is in the description). */
    public static Key<JsonObject> raw(String name, String defaultText, String description) {
        return new Key<>(name, "object", defaultText, "", description, null, (c, n) -> c.rawObject(n));
    }

    /** The same key with its default documented as {@code text} (a default that depends on another key). */
    public Key<T> defaultShown(String text) {
        return new Key<>(name, type, text, allowed, description, section, reader);
    }

    private static String range(long min, long max) {
        return min + " – " + max;
    }
}
