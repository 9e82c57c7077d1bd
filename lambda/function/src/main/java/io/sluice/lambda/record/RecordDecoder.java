package io.sluice.lambda.record;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.lambda.event.KafkaEventRecord;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Decodes base64 key/value and the AWS header format: a list of single-entry maps, header name to an array
 * of byte values ({@code [{"correlation-id":[97,98]}]}). Byte values may be signed (-128..127) or unsigned
 * (0..255); a base64 string is accepted too (what plain Jackson writes for {@code byte[]}).
 */
public final class RecordDecoder {

    public DecodedRecord decode(KafkaEventRecord record) throws InvalidRecordException {
        if (record.valueBase64() == null) {
            throw new InvalidRecordException("record has no value");
        }
        byte[] value = base64(record.valueBase64(), "value");
        String key = record.keyBase64() == null
                ? null
                : new String(base64(record.keyBase64(), "key"), StandardCharsets.UTF_8);
        return new DecodedRecord(record, key, value, headers(record.headers()));
    }

    private static byte[] base64(String text, String field) throws InvalidRecordException {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException(field + " is not valid base64: " + e.getMessage());
        }
    }

    private static Map<String, String> headers(JsonNode headers) throws InvalidRecordException {
        Map<String, String> out = new HashMap<>();
        if (headers == null || headers.isNull()) {
            return out;
        }
        if (!headers.isArray()) {
            throw new InvalidRecordException("headers must be a list of {name: [bytes]} maps");
        }
        for (JsonNode entry : headers) {
            if (!entry.isObject()) {
                throw new InvalidRecordException("headers must be a list of {name: [bytes]} maps");
            }
            Iterator<Map.Entry<String, JsonNode>> it = entry.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> h = it.next();
                out.put(h.getKey(), new String(headerBytes(h.getKey(), h.getValue()), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static byte[] headerBytes(String name, JsonNode v) throws InvalidRecordException {
        if (v.isBinary()) {
            return ((com.fasterxml.jackson.databind.node.BinaryNode) v).binaryValue(); // the parser's byte arrays
        }
        if (v.isTextual()) {
            return base64(v.textValue(), "header " + name);
        }
        if (v.isNull()) {
            return new byte[0];
        }
        if (!v.isArray()) {
            throw new InvalidRecordException("header " + name + " must be an array of byte values");
        }
        byte[] bytes = new byte[v.size()];
        for (int i = 0; i < bytes.length; i++) {
            JsonNode b = v.get(i);
            if (!b.isIntegralNumber() || b.intValue() < -128 || b.intValue() > 255) {
                throw new InvalidRecordException("header " + name + " byte " + i + " must be an integer in -128..255");
            }
            bytes[i] = (byte) b.intValue();
        }
        return bytes;
    }
}
