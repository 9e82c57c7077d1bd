package io.sluice.lambda.record;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Validates a record value as a telemetry event: a JSON object with {@code code} (integer), {@code truckId}
 * (non-empty string), {@code eventId} (non-empty string), {@code timestamp} (epoch millis, a non-negative
 * integral number) and an optional integral {@code seq}. Types are checked, never coerced.
 *
 * <p>One streaming pass reads a well-formed event without building a tree (the function's largest per-record
 * cost was the tree); anything that pass does not vouch for — a missing or mistyped field, trailing content, text
 * before the object, malformed JSON — is decided by the tree, which also words the reason.
 */
public final class TelemetryValidator {

    private final ObjectMapper mapper;

    public TelemetryValidator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public TelemetryEvent validate(byte[] value) throws InvalidRecordException {
        TelemetryEvent fast = streamed(value);
        return fast != null ? fast : viaTree(value);
    }

    /** The event from one streaming pass, or null when the tree must decide. */
    private TelemetryEvent streamed(byte[] value) {
        if (!startsWithBrace(value)) {
            return null;
        }
        Integer code = null;
        String truckId = null;
        String eventId = null;
        Long timestamp = null;
        Long seq = null;
        try (JsonParser p = mapper.getFactory().createParser(value)) {
            p.nextToken(); // START_OBJECT: the first byte is a brace
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "code" -> {
                        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                            return null;
                        }
                        code = p.getIntValue();
                    }
                    case "truckId" -> truckId = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "eventId" -> eventId = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "timestamp" -> {
                        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            return null;
                        }
                        timestamp = p.getLongValue();
                    }
                    case "seq" -> {
                        if (v == JsonToken.VALUE_NULL) {
                            seq = null;
                        } else if (v == JsonToken.VALUE_NUMBER_INT
                                && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                            seq = p.getLongValue();
                        } else {
                            return null;
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null; // trailing content: the tree decides what it means
            }
        } catch (IOException e) {
            return null;
        }
        if (code == null || timestamp == null || timestamp < 0 || blank(truckId) || blank(eventId)) {
            return null;
        }
        return new TelemetryEvent(value, eventId, code, truckId, timestamp, seq);
    }

    private static boolean startsWithBrace(byte[] value) {
        for (byte b : value) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '{';
            }
        }
        return false;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private TelemetryEvent viaTree(byte[] value) throws InvalidRecordException {
        JsonNode node;
        try {
            node = mapper.readTree(value);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("value is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRecordException("value could not be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRecordException("value must be a JSON object");
        }
        ObjectNode json = (ObjectNode) node;
        JsonNode code = json.get("code");
        if (code == null || code.isNull()) {
            throw new InvalidRecordException("field 'code' is required");
        }
        if (!code.isIntegralNumber() || !code.canConvertToInt()) {
            throw new InvalidRecordException("field 'code' must be an integer but was " + code);
        }
        String truckId = requireText(json, "truckId");
        String eventId = requireText(json, "eventId");
        JsonNode ts = json.get("timestamp");
        if (ts == null || ts.isNull()) {
            throw new InvalidRecordException("field 'timestamp' is required");
        }
        if (!ts.isIntegralNumber() || !ts.canConvertToLong() || ts.longValue() < 0) {
            throw new InvalidRecordException(
                    "field 'timestamp' must be epoch millis (a non-negative integer) but was " + ts);
        }
        JsonNode seq = json.get("seq");
        Long seqValue = null;
        if (seq != null && !seq.isNull()) {
            if (!seq.isIntegralNumber() || !seq.canConvertToLong()) {
                throw new InvalidRecordException("field 'seq' must be an integer when present but was " + seq);
            }
            seqValue = seq.longValue();
        }
        byte[] text;
        try {
            text = mapper.writeValueAsBytes(json); // what the tree read, without what it ignored around the object
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("value could not be written again: " + e.getOriginalMessage());
        }
        return new TelemetryEvent(text, eventId, code.intValue(), truckId, ts.longValue(), seqValue);
    }

    private static String requireText(ObjectNode json, String field) throws InvalidRecordException {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidRecordException("field '" + field + "' is required");
        }
        if (!v.isTextual()) {
            throw new InvalidRecordException("field '" + field + "' must be a string but was " + v);
        }
        if (v.textValue().isBlank()) {
            throw new InvalidRecordException("field '" + field + "' must not be blank");
        }
        return v.textValue();
    }
}
