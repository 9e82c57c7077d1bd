package io.sluice.producer;

import io.sluice.config.ConfigException;
import io.sluice.json.AsciiJsonScanner;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks an incoming event before it is routed, keyed and sent. The first problem found is reported,
 * in this order: size, JSON object, {@code code}, {@code truckId}, {@code eventId}, {@code timestamp}.
 *
 * <pre>{@code
 * "validation": {
 *   "maxEventBytes": 10240,     // 1-1048576, size of the serialized event (default 10240)
 *   "requireEventId": true,     // default true
 *   "requireTimestamp": true    // default true
 * }
 * }</pre>
 *
 * <p>Field rules: {@code code} an integer JSON number 0-2147483647 (a fraction such as {@code 300.0}
 * or a string is {@value ValidationResult#WRONG_TYPE}); {@code truckId} a non-blank string;
 * {@code eventId} a non-blank string; {@code timestamp} an integer JSON number ≥ 0 (epoch millis).
 * A field that is absent or JSON {@code null} is {@value ValidationResult#MISSING_FIELD} when it is
 * required; an optional field that is present is still type-checked. Other fields are not looked at.
 *
 * <p>Immutable and thread-safe.
 */
public final class EventValidator {

    /** Default {@code maxEventBytes}. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 10_240;
    /** Largest accepted {@code maxEventBytes} (Kafka's default {@code max.request.size}). */
    public static final int MAX_MAX_EVENT_BYTES = 1_048_576;

    private static final Set<String> KNOWN_KEYS = Set.of("maxEventBytes", "requireEventId", "requireTimestamp");

    private final int maxEventBytes;
    private final boolean requireEventId;
    private final boolean requireTimestamp;

    /**
     * @param maxEventBytes    largest serialized event, 1-{@value #MAX_MAX_EVENT_BYTES}
     * @param requireEventId   whether {@code eventId} must be present
     * @param requireTimestamp whether {@code timestamp} must be present
     */
    public EventValidator(int maxEventBytes, boolean requireEventId, boolean requireTimestamp) {
        if (maxEventBytes < 1 || maxEventBytes > MAX_MAX_EVENT_BYTES) {
            throw new IllegalArgumentException(
                    "maxEventBytes must be 1-" + MAX_MAX_EVENT_BYTES + ", got " + maxEventBytes);
        }
        this.maxEventBytes = maxEventBytes;
        this.requireEventId = requireEventId;
        this.requireTimestamp = requireTimestamp;
    }

    /**
     * Builds a validator from its JSON configuration (see the class comment); unknown keys are rejected.
     *
     * @param validation the validation object; {@code null} means all defaults
     * @param path       dotted path of {@code validation} in the configuration, used in error messages
     * @throws ConfigException naming the offending key and what is allowed
     */
    public static EventValidator fromJson(JsonObject validation, String path) {
        if (validation == null) {
            return new EventValidator(DEFAULT_MAX_EVENT_BYTES, true, true);
        }
        for (String key : validation.fieldNames()) {
            if (!KNOWN_KEYS.contains(key)) {
                throw new ConfigException(
                        path + "." + key, "unknown key; allowed keys are " + new TreeSet<>(KNOWN_KEYS));
            }
        }
        int maxEventBytes = DEFAULT_MAX_EVENT_BYTES;
        Object max = validation.getValue("maxEventBytes");
        if (max != null) {
            Long parsed = integral(max);
            if (parsed == null || parsed < 1 || parsed > MAX_MAX_EVENT_BYTES) {
                throw new ConfigException(
                        path + ".maxEventBytes", "must be an integer 1-" + MAX_MAX_EVENT_BYTES + ", got " + max);
            }
            maxEventBytes = parsed.intValue();
        }
        return new EventValidator(
                maxEventBytes, flag(validation, "requireEventId", path), flag(validation, "requireTimestamp", path));
    }

    /**
     * Validates raw bytes (an HTTP body, a generator's encoded event). The size is checked before
     * parsing, so an oversized body is never decoded.
     *
     * @param raw the serialized event; {@code null} is {@value ValidationResult#NOT_JSON_OBJECT}
     */
    public ValidationResult validate(Buffer raw) {
        if (raw == null) {
            return notJsonObject("no body");
        }
        if (raw.length() > maxEventBytes) {
            return tooLarge(raw.length());
        }
        Object decoded;
        try {
            decoded = Json.decodeValue(raw);
        } catch (DecodeException | IllegalArgumentException e) {
            return notJsonObject("the body is not valid JSON");
        }
        if (!(decoded instanceof JsonObject event)) {
            return notJsonObject("the body is JSON but not an object");
        }
        return validateFields(event);
    }

    /**
     * Validates an event object (e.g. an event-bus message body). Its size is that of its JSON
     * encoding, so the object is encoded once to measure it.
     *
     * @param event the event; {@code null} is {@value ValidationResult#NOT_JSON_OBJECT}
     */
    public ValidationResult validate(JsonObject event) {
        if (event == null) {
            return notJsonObject("no event");
        }
        int size;
        try {
            size = event.toBuffer().length();
        } catch (RuntimeException e) { // a value JSON cannot encode
            return notJsonObject("the event cannot be encoded as JSON");
        }
        if (size > maxEventBytes) {
            return tooLarge(size);
        }
        return validateFields(event);
    }

    /**
     * Validates an event object whose JSON encoding the caller already has ({@code encodedSize} bytes),
     * so it is not encoded a second time just to be measured (the producer's hot path).
     */
    public ValidationResult validate(JsonObject event, int encodedSize) {
        if (event == null) {
            return notJsonObject("no event");
        }
        if (encodedSize > maxEventBytes) {
            return tooLarge(encodedSize);
        }
        return validateFields(event);
    }

    /** Largest accepted serialized event, in bytes. */
    public int maxEventBytes() {
        return maxEventBytes;
    }

    /** Whether {@code eventId} is required. */
    public boolean requireEventId() {
        return requireEventId;
    }

    /** Whether {@code timestamp} is required. */
    public boolean requireTimestamp() {
        return requireTimestamp;
    }

    @Override
    public String toString() {
        return "EventValidator{maxEventBytes=" + maxEventBytes + ", requireEventId=" + requireEventId
                + ", requireTimestamp=" + requireTimestamp + "}";
    }

    /**
     * Validates raw bytes like {@link #validate(Buffer)}, with the same result, but without building the event
     * object when it can: one strict pass over plain JSON (see {@link AsciiJsonScanner}; malformed JSON is still
     * found) that keeps only the checked top-level fields. The producer's hot path for events that arrive
     * encoded (HTTP ingest, batches of Buffers). A {@link ValidationResult.Valid} from it has no {@code event};
     * anything not plainly valid (a rejection, escapes, non-ASCII text, comments) is decided by
     * {@link #validate(Buffer)} itself, so rejections carry exactly its reasons and messages.
     *
     * @param raw the serialized event; {@code null} is {@value ValidationResult#NOT_JSON_OBJECT}
     */
    public ValidationResult scan(Buffer raw) {
        return raw == null ? validate((Buffer) null) : scan(raw.getBytes());
    }

    /** {@link #scan(Buffer)} of bytes the caller already has (not copied, not changed). */
    public ValidationResult scan(byte[] raw) {
        if (raw != null && raw.length <= maxEventBytes) {
            Object[] fields = new Object[4];
            if (AsciiJsonScanner.scan(raw, fields)) {
                ValidationResult r = validateFields(
                        null,
                        fields[AsciiJsonScanner.CODE],
                        fields[AsciiJsonScanner.TRUCK_ID],
                        fields[AsciiJsonScanner.EVENT_ID],
                        fields[AsciiJsonScanner.TIMESTAMP]);
                if (r.isValid()) {
                    return r;
                }
            }
        }
        return validate(raw == null ? null : Buffer.buffer(raw));
    }

    private ValidationResult validateFields(JsonObject event) {
        return validateFields(
                event,
                event.getValue("code"),
                event.getValue("truckId"),
                event.getValue("eventId"),
                event.getValue("timestamp"));
    }

    private ValidationResult validateFields(
            JsonObject event, Object code, Object truckId, Object eventId, Object timestamp) {
        if (code == null) {
            return missing("code");
        }
        Long codeValue = integral(code);
        if (codeValue == null || codeValue < 0 || codeValue > Integer.MAX_VALUE) {
            return wrongType("code", "an integer 0-" + Integer.MAX_VALUE, code);
        }

        if (truckId == null) {
            return missing("truckId");
        }
        if (!(truckId instanceof String truck) || truck.isBlank()) {
            return wrongType("truckId", "a non-blank string", truckId);
        }

        if (eventId == null) {
            if (requireEventId) {
                return missing("eventId");
            }
        } else if (!(eventId instanceof String id) || id.isBlank()) {
            return wrongType("eventId", "a non-blank string", eventId);
        }

        if (timestamp == null) {
            if (requireTimestamp) {
                return missing("timestamp");
            }
        } else {
            Long millis = integral(timestamp);
            if (millis == null || millis < 0) {
                return wrongType("timestamp", "an integer >= 0 (epoch milliseconds)", timestamp);
            }
        }
        return new ValidationResult.Valid(event, codeValue.intValue(), truck);
    }

    /** The value of an integer JSON number that fits in a long; null for anything else (fractions too). */
    private static Long integral(Object value) {
        if (value instanceof Long l) { // the scanner's integers, and the decoder's beyond int range
            return l;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        return null;
    }

    private static boolean flag(JsonObject json, String key, String path) {
        Object value = json.getValue(key);
        if (value == null) {
            return true;
        }
        if (!(value instanceof Boolean b)) {
            throw new ConfigException(path + "." + key, "must be true or false, got " + value);
        }
        return b;
    }

    private ValidationResult.Invalid tooLarge(int size) {
        return new ValidationResult.Invalid(
                ValidationResult.TOO_LARGE, null, "the event is " + size + " bytes, the limit is " + maxEventBytes);
    }

    private static ValidationResult.Invalid notJsonObject(String message) {
        return new ValidationResult.Invalid(ValidationResult.NOT_JSON_OBJECT, null, message);
    }

    private static ValidationResult.Invalid missing(String field) {
        return new ValidationResult.Invalid(ValidationResult.MISSING_FIELD, field, field + " is required");
    }

    private static ValidationResult.Invalid wrongType(String field, String expected, Object actual) {
        return new ValidationResult.Invalid(
                ValidationResult.WRONG_TYPE, field, field + " must be " + expected + ", got " + jsonType(actual));
    }

    private static String jsonType(Object value) {
        if (value instanceof String s) {
            return s.isBlank() ? "a blank string" : "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Number n) {
            String text = n.toString();
            return "the number " + (text.length() > 30 ? text.substring(0, 27) + "..." : text);
        }
        if (value instanceof JsonObject || value instanceof java.util.Map) {
            return "an object";
        }
        return "an array";
    }
}
