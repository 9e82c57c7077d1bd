package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** The shape of an event source mapping's Kafka event, checked on the AWS example and on Sluice's events. */
final class EsmShape {
    /** The values an event source mapping writes in {@code timestampType}. */
    static final Set<String> AWS_TIMESTAMP_TYPES = Set.of("CREATE_TIME", "LOG_APPEND_TIME", "NO_TIMESTAMP_TYPE");

    private static final Set<String> TOP = Set.of("eventSource", "eventSourceArn", "bootstrapServers", "records");
    private static final Set<String> RECORD =
            Set.of("topic", "partition", "offset", "timestamp", "timestampType", "key", "value", "headers");

    private EsmShape() {}

    static void assertEvent(JsonNode event, String what) {
        assertThat(event.isObject()).as(what + " is an object").isTrue();
        assertThat(TOP).as(what + ": top-level fields").containsAll(fieldNamesOf(event));
        String source = event.path("eventSource").textValue();
        assertThat(source).as(what + ": eventSource").isIn("aws:kafka", "SelfManagedKafka");
        assertThat(event.has("eventSourceArn"))
                .as(what + ": eventSourceArn iff MSK")
                .isEqualTo("aws:kafka".equals(source));
        if (event.has("eventSourceArn")) {
            assertThat(event.get("eventSourceArn").isTextual())
                    .as(what + ": eventSourceArn is a string")
                    .isTrue();
        }
        assertThat(event.path("bootstrapServers").isTextual())
                .as(what + ": bootstrapServers is one string")
                .isTrue();
        JsonNode records = event.get("records");
        assertThat(records != null && records.isObject())
                .as(what + ": records is an object")
                .isTrue();
        records.fields().forEachRemaining(group -> {
            assertThat(group.getValue().isArray() && !group.getValue().isEmpty())
                    .as(what + ": " + group.getKey())
                    .isTrue();
            for (JsonNode r : group.getValue()) {
                assertRecord(r, group.getKey(), what);
            }
        });
    }

    private static void assertRecord(JsonNode r, String group, String what) {
        String where = what + ": a record of " + group;
        assertThat(RECORD).as(where + ": fields").containsAll(fieldNamesOf(r));
        assertThat(r.path("topic").isTextual())
                .as(where + ": topic is a string")
                .isTrue();
        for (String n : List.of("partition", "offset", "timestamp")) {
            assertThat(r.path(n).isIntegralNumber())
                    .as(where + ": " + n + " is a JSON integer")
                    .isTrue();
        }
        assertThat(group)
                .as(where + ": keyed <topic>-<partition>")
                .isEqualTo(r.get("topic").textValue() + "-" + r.get("partition").intValue());
        assertThat(AWS_TIMESTAMP_TYPES)
                .as(where + ": timestampType")
                .contains(r.path("timestampType").textValue());
        for (String n : List.of("key", "value")) {
            if (r.has(n)) {
                assertThat(r.get(n).isTextual())
                        .as(where + ": " + n + " is a string")
                        .isTrue();
                assertThat(Base64.getDecoder().decode(r.get(n).textValue()))
                        .as(where + ": " + n + " is base64")
                        .isNotNull();
            }
        }
        JsonNode headers = r.get("headers");
        assertThat(headers != null && headers.isArray())
                .as(where + ": headers is an array")
                .isTrue();
        for (JsonNode h : headers) {
            assertThat(h.isObject() && h.size() == 1)
                    .as(where + ": a header is a single-key object: " + h)
                    .isTrue();
            bytes(h.elements().next());
        }
    }

    /** A header value: an array of JSON integers, each a signed byte (-128..127) as AWS writes them. */
    static byte[] bytes(JsonNode array) {
        assertThat(array.isArray()).as("a header value is an array: " + array).isTrue();
        byte[] out = new byte[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode b = array.get(i);
            assertThat(b.isIntegralNumber() && b.intValue() >= -128 && b.intValue() <= 127)
                    .as("header byte " + i + " is a signed byte: " + b)
                    .isTrue();
            out[i] = (byte) b.intValue();
        }
        return out;
    }

    /** The same field names, each with the same JSON type (integral numbers both integral). */
    static void assertSameFieldsAndTypes(JsonNode actual, JsonNode expected, String where) {
        assertThat(fieldNamesOf(actual))
                .as(where + ": field names")
                .containsExactlyInAnyOrderElementsOf(fieldNamesOf(expected));
        expected.fieldNames().forEachRemaining(n -> {
            JsonNodeType want = expected.get(n).getNodeType();
            assertThat(actual.get(n).getNodeType())
                    .as(where + ": JSON type of " + n)
                    .isEqualTo(want);
            if (want == JsonNodeType.NUMBER) {
                assertThat(actual.get(n).isIntegralNumber())
                        .as(where + ": " + n + " is an integer")
                        .isEqualTo(expected.get(n).isIntegralNumber());
            }
        });
    }

    private static List<String> fieldNamesOf(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
