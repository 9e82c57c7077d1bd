package io.sluice.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The function's response.
 *
 * <pre>{@code
 * {"batchItemFailures":[{"itemIdentifier":{"topic-partition":"t-0","offset":15}}],
 *  "invalidRecords":[{"itemIdentifier":{"topic-partition":"t-0","offset":16},"reason":"field 'code' is required"}]}
 * }</pre>
 * {@code batchItemFailures} is the event source mapping's partial-failure shape: exactly the records whose
 * target call failed (retryable). {@code invalidRecords} is a Sluice extension listing permanently invalid
 * records so the caller dead-letters them at once; an event source mapping ignores it (those records then
 * count as processed and are only logged). Offsets are emitted as JSON numbers.
 */
public record DispatchResponse(List<RecordId> batchItemFailures, List<InvalidRecord> invalidRecords) {

    private static final JsonFactory FACTORY = new JsonFactory();

    public DispatchResponse {
        batchItemFailures = List.copyOf(batchItemFailures);
        invalidRecords = List.copyOf(invalidRecords);
    }

    public byte[] toJson() {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(64 + 64 * (batchItemFailures.size() + invalidRecords.size()));
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("batchItemFailures");
            for (RecordId id : batchItemFailures) {
                g.writeStartObject();
                writeId(g, id);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("invalidRecords");
            for (InvalidRecord r : invalidRecords) {
                g.writeStartObject();
                writeId(g, r.id());
                g.writeStringField("reason", r.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeId(JsonGenerator g, RecordId id) throws IOException {
        g.writeObjectFieldStart("itemIdentifier");
        g.writeStringField("topic-partition", id.topicPartition());
        g.writeNumberField("offset", id.offset());
        g.writeEndObject();
    }

    /**
     * Parses a response; {@code offset} may be a JSON number or a numeric string (AWS examples use both).
     * A missing {@code invalidRecords} (a plain event-source-mapping style response) reads as empty.
     */
    public static DispatchResponse parse(byte[] json, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("response is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("response must be a JSON object");
        }
        List<RecordId> failures = new ArrayList<>();
        for (JsonNode f : root.path("batchItemFailures")) {
            failures.add(parseId(f.path("itemIdentifier")));
        }
        List<InvalidRecord> invalid = new ArrayList<>();
        for (JsonNode f : root.path("invalidRecords")) {
            invalid.add(new InvalidRecord(
                    parseId(f.path("itemIdentifier")), f.path("reason").asText("")));
        }
        return new DispatchResponse(failures, invalid);
    }

    /** Parses {@code {"topic-partition":"t-0","offset":15}} (offset number or numeric string). */
    public static RecordId parseId(JsonNode id) {
        JsonNode tp = id.get("topic-partition");
        JsonNode off = id.get("offset");
        if (tp == null || !tp.isTextual()) {
            throw new IllegalArgumentException("itemIdentifier.topic-partition must be a string but was " + tp);
        }
        long offset;
        if (off != null && off.isIntegralNumber()) {
            offset = off.longValue();
        } else if (off != null && off.isTextual()) {
            try {
                offset = Long.parseLong(off.textValue().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("itemIdentifier.offset must be an integer but was " + off, e);
            }
        } else {
            throw new IllegalArgumentException("itemIdentifier.offset must be an integer but was " + off);
        }
        return new RecordId(tp.textValue(), offset);
    }
}
