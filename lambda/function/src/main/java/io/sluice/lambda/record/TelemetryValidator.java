package io.sluice.lambda.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Validates a record value as a telemetry event: a JSON object with {@code code} (integer), {@code truckId}
 * (non-empty string), {@code eventId} (non-empty string), {@code timestamp} (epoch millis, a non-negative
 * integral number) and an optional integral {@code seq}. Types are checked, never coerced.
 */
public final class TelemetryValidator {

  private final ObjectMapper mapper;

  public TelemetryValidator(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public TelemetryEvent validate(byte[] value) throws InvalidRecordException {
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
      throw new InvalidRecordException("field 'timestamp' must be epoch millis (a non-negative integer) but was "
          + ts);
    }
    JsonNode seq = json.get("seq");
    Long seqValue = null;
    if (seq != null && !seq.isNull()) {
      if (!seq.isIntegralNumber() || !seq.canConvertToLong()) {
        throw new InvalidRecordException("field 'seq' must be an integer when present but was " + seq);
      }
      seqValue = seq.longValue();
    }
    return new TelemetryEvent(json, eventId, code.intValue(), truckId, ts.longValue(), seqValue);
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
