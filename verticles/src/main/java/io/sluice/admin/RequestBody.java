package io.sluice.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validating reader of a JSON request body: every error is a {@link BadRequest} naming the field and
 * the allowed range; unknown fields are rejected (a typo never silently does nothing). Pure.
 */
public final class RequestBody {
    private final JsonObject json;

    private RequestBody(JsonObject json) {
        this.json = json;
    }

    /**
     * Parses {@code body} as a JSON object whose fields are all in {@code allowed}; at least one of
     * {@code allowed} must be present when {@code requireOne}.
     */
    public static RequestBody parse(Buffer body, Set<String> allowed, boolean requireOne) {
        if (body == null || body.length() == 0) {
            if (requireOne) {
                throw new BadRequest(null, "body: a JSON object is required with at least one of " + sorted(allowed));
            }
            return new RequestBody(new JsonObject());
        }
        Object parsed;
        try {
            parsed = body.toJsonValue();
        } catch (DecodeException | IllegalStateException | ClassCastException e) {
            throw new BadRequest(null, "body: must be a JSON object, it is not valid JSON");
        }
        if (!(parsed instanceof JsonObject jo)) {
            throw new BadRequest(null, "body: must be a JSON object");
        }
        for (String f : jo.fieldNames()) {
            if (!allowed.contains(f)) {
                throw new BadRequest(f, "unknown field; allowed: " + sorted(allowed));
            }
        }
        if (requireOne && allowed.stream().noneMatch(jo::containsKey)) {
            throw new BadRequest(null, "body: at least one of " + sorted(allowed) + " is required");
        }
        return new RequestBody(jo);
    }

    public boolean has(String field) {
        return json.containsKey(field);
    }

    /** A number in {@code [min, max]}, or {@code def} when absent. */
    public double number(String field, double def, double min, double max) {
        if (!json.containsKey(field)) {
            return def;
        }
        Object v = json.getValue(field);
        if (!(v instanceof Number n)
                || Double.isNaN(n.doubleValue())
                || n.doubleValue() < min
                || n.doubleValue() > max) {
            throw new BadRequest(
                    field, "must be a number between " + fmt(min) + " and " + fmt(max) + ", got " + describe(v));
        }
        return n.doubleValue();
    }

    /** A whole number in {@code [min, max]}, or {@code def} when absent. */
    public long integer(String field, long def, long min, long max) {
        if (!json.containsKey(field)) {
            return def;
        }
        Object v = json.getValue(field);
        if (!(v instanceof Number n)
                || n.doubleValue() != Math.rint(n.doubleValue())
                || n.doubleValue() < min
                || n.doubleValue() > max) {
            throw new BadRequest(
                    field, "must be a whole number between " + min + " and " + max + ", got " + describe(v));
        }
        return n.longValue();
    }

    public JsonObject json() {
        return json.copy();
    }

    private static String describe(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String sorted(Set<String> s) {
        return String.join(", ", new TreeSet<>(s));
    }
}
