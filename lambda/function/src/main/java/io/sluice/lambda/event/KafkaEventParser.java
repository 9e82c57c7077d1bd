package io.sluice.lambda.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the AWS Lambda Kafka event (what an MSK or self-managed Kafka event source mapping sends, and what
 * Sluice sends): {@code eventSource}, {@code eventSourceArn}, {@code records} keyed {@code "<topic>-<partition>"}.
 * Offsets, partitions and timestamps are accepted as JSON numbers or numeric strings; {@code timestampType} is
 * given by its AWS name ({@link #timestampType(String)}).
 */
public final class KafkaEventParser {

    /** Event sources this function accepts. */
    public static final Set<String> EVENT_SOURCES = Set.of("aws:kafka", "SelfManagedKafka");

    private static final Map<String, String> KAFKA_TIMESTAMP_NAMES = Map.of(
            "CreateTime", "CREATE_TIME", "LogAppendTime", "LOG_APPEND_TIME", "NoTimestampType", "NO_TIMESTAMP_TYPE");

    private final ObjectMapper mapper;

    public KafkaEventParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * One streaming pass over the event (no tree of the whole payload: it is up to 6 MB); a record's fields are
     * read as they come, only its {@code headers} (and a field of an unexpected type) as a small tree.
     */
    public KafkaEventBatch parse(byte[] payload) {
        String source = null;
        String arn = null;
        int deliveryAttempt = 1;
        List<KafkaEventRecord> out = new ArrayList<>();
        try (JsonParser p = mapper.getFactory().createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException("payload must be a JSON object (a Lambda Kafka event)");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "eventSource" -> source = scalarText(p, v);
                    case "eventSourceArn" -> arn = scalarText(p, v);
                    case KafkaEventBatch.DELIVERY_ATTEMPT_FIELD -> {
                        deliveryAttempt = v == JsonToken.VALUE_NUMBER_INT
                                        && p.getNumberType() == JsonParser.NumberType.INT
                                        && p.getIntValue() > 1
                                ? p.getIntValue()
                                : 1;
                        p.skipChildren();
                    }
                    case "records" -> {
                        out.clear(); // a repeated key: the last one counts, as in a tree
                        records(p, v, out);
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new InvalidEventException(
                        "payload must be one JSON object (a Lambda Kafka event): trailing content");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("payload is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidEventException("payload could not be read: " + e.getMessage(), e);
        }
        if (source == null || !EVENT_SOURCES.contains(source)) {
            throw new InvalidEventException("eventSource must be one of " + EVENT_SOURCES + " but was " + source);
        }
        return new KafkaEventBatch(source, arn, out, deliveryAttempt);
    }

    private void records(JsonParser p, JsonToken v, List<KafkaEventRecord> out) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return;
        }
        if (v != JsonToken.START_OBJECT) {
            throw new InvalidEventException("records must be an object keyed \"<topic>-<partition>\"");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String group = p.currentName();
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new InvalidEventException("records[\"" + group + "\"] must be an array");
            }
            int i = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                out.add(record(p, t, new Where(group, i++)));
            }
        }
    }

    /** Where a record is in the event, for error messages: written out only when one is thrown. */
    private record Where(String group, int index) {
        String field(String name) {
            return this + "." + name;
        }

        @Override
        public String toString() {
            return "records[\"" + group + "\"][" + index + "]";
        }
    }

    private KafkaEventRecord record(JsonParser p, JsonToken start, Where where) throws IOException {
        if (start != JsonToken.START_OBJECT) {
            throw new InvalidEventException(where + " must be an object");
        }
        String topic = null;
        Long partition = null;
        Long offset = null;
        long timestamp = -1L;
        String timestampType = null;
        String key = null;
        String value = null;
        JsonNode headers = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "topic" -> topic = scalarText(p, v);
                case "partition" -> partition = v == JsonToken.VALUE_NULL ? null : longValue(p, v, where, "partition");
                case "offset" -> offset = v == JsonToken.VALUE_NULL ? null : longValue(p, v, where, "offset");
                case "timestamp" -> timestamp = v == JsonToken.VALUE_NULL ? -1L : longValue(p, v, where, "timestamp");
                case "timestampType" -> timestampType = scalarText(p, v);
                case "key" -> key = scalarText(p, v);
                case "value" -> value = scalarText(p, v);
                case "headers" -> headers = v == JsonToken.VALUE_NULL ? null : headers(p, v);
                default -> p.skipChildren();
            }
        }
        if (topic == null || topic.isEmpty()) {
            throw new InvalidEventException(where + ".topic must be a non-empty string");
        }
        if (partition == null) {
            throw new InvalidEventException(
                    where + ".partition must be an integer (number or numeric string) but was null");
        }
        if (partition < 0 || partition > Integer.MAX_VALUE) {
            throw new InvalidEventException(where + ".partition must be in 0.." + Integer.MAX_VALUE);
        }
        if (offset == null) {
            throw new InvalidEventException(
                    where + ".offset must be an integer (number or numeric string) but was null");
        }
        return new KafkaEventRecord(
                topic, (int) (long) partition, offset, timestamp, timestampType(timestampType), key, value, headers);
    }

    /**
     * A record's header list as the tree {@code readTree} would build, read in one streaming pass, except that a
     * header value that is a plain array of byte values ({@code [104,105]}, each an integer in -128..255) becomes
     * one {@link com.fasterxml.jackson.databind.node.BinaryNode} instead of an array of number nodes (the list is
     * the function's largest per-record tree otherwise). Anything of another shape is kept as its tree, for
     * {@link io.sluice.lambda.record.RecordDecoder} to judge per record.
     */
    private JsonNode headers(JsonParser p, JsonToken start) throws IOException {
        if (start != JsonToken.START_ARRAY) {
            return mapper.readTree(p);
        }
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                list.add((JsonNode) mapper.readTree(p));
                continue;
            }
            ObjectNode entry = list.addObject();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                entry.set(name, v == JsonToken.START_ARRAY ? headerValue(p) : mapper.readTree(p));
            }
        }
        return list;
    }

    /** A header value array (the parser on its START_ARRAY): bytes when every element is one, else its tree. */
    private JsonNode headerValue(JsonParser p) throws IOException {
        int[] values = new int[64];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            int b;
            if (t != JsonToken.VALUE_NUMBER_INT
                    || p.getNumberType() != JsonParser.NumberType.INT
                    || (b = p.getIntValue()) < -128
                    || b > 255) {
                return mixedArray(p, values, n);
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = b;
        }
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) values[i];
        }
        return JsonNodeFactory.instance.binaryNode(bytes);
    }

    /** The tree of an array whose first {@code n} elements were byte values and whose current one is not. */
    private JsonNode mixedArray(JsonParser p, int[] values, int n) throws IOException {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < n; i++) {
            array.add(values[i]);
        }
        array.add((JsonNode) mapper.readTree(p));
        while (p.nextToken() != JsonToken.END_ARRAY) {
            array.add((JsonNode) mapper.readTree(p));
        }
        return array;
    }

    /** A JSON integer, or a string holding one; anything else is read as a tree for {@link #requireLong}'s answer. */
    private long longValue(JsonParser p, JsonToken v, Where where, String field) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return p.getLongValue();
        }
        return requireLong(mapper.readTree(p), where.field(field));
    }

    /** What a tree's text would be: a string as it is, null for null, any other value as its JSON text. */
    private String scalarText(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        return textOrNull(mapper.readTree(p));
    }

    /**
     * A record's {@code timestampType} by its AWS name: {@code CREATE_TIME}, {@code LOG_APPEND_TIME} and
     * {@code NO_TIMESTAMP_TYPE} come through as they are; Kafka's display names ({@code CreateTime},
     * {@code LogAppendTime}, {@code NoTimestampType}, what Sluice sent before it used the AWS names) become the
     * AWS names; anything else, or null, is kept as given (the field is informational, never a reason to reject).
     */
    public static String timestampType(String raw) {
        return raw == null ? null : KAFKA_TIMESTAMP_NAMES.getOrDefault(raw, raw);
    }

    /** Accepts a JSON integer or a string holding one (AWS examples use both for offsets). */
    static long requireLong(JsonNode node, String field) {
        if (node != null && node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node != null && node.isTextual()) {
            try {
                return Long.parseLong(node.textValue().trim());
            } catch (NumberFormatException e) {
                throw new InvalidEventException(
                        field + " must be an integer (number or numeric string) but was \"" + node.textValue() + "\"");
            }
        }
        throw new InvalidEventException(field + " must be an integer (number or numeric string) but was " + node);
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.isTextual() ? node.textValue() : node.toString();
    }
}
