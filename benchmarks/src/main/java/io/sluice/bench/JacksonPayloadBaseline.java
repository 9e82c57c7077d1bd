package io.sluice.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.record.InRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Lambda Kafka event as Sluice wrote it with Jackson's generator before the hand-written builder: the baseline. */
final class JacksonPayloadBaseline {
    private static final JsonFactory JSON = new JsonFactory();
    private final String bootstrapServers;
    private final String eventSourceArn;

    /** @param eventSourceArn the MSK cluster ARN (event source "aws:kafka"), or null ("SelfManagedKafka") */
    JacksonPayloadBaseline(String bootstrapServers, String eventSourceArn) {
        this.bootstrapServers = bootstrapServers;
        this.eventSourceArn = eventSourceArn;
    }

    /**
     * The event for records of any partitions: one {@code "<topic>-<partition>"} array per partition, in the order
     * the partitions first appear, each in offset order (records of several key lanes of a partition interleave
     * by offset; each lane's own order is kept).
     */
    public byte[] build(List<InRecord> records) {
        Map<String, List<InRecord>> byPartition = new LinkedHashMap<>();
        for (InRecord r : records) {
            byPartition
                    .computeIfAbsent(r.topic() + "-" + r.partition(), k -> new ArrayList<>())
                    .add(r);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + records.size() * 400);
        Base64.Encoder b64 = Base64.getEncoder();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            if (eventSourceArn != null) {
                g.writeStringField("eventSource", "aws:kafka");
                g.writeStringField("eventSourceArn", eventSourceArn);
            } else {
                g.writeStringField("eventSource", "SelfManagedKafka");
            }
            g.writeStringField("bootstrapServers", bootstrapServers);
            g.writeObjectFieldStart("records");
            for (Map.Entry<String, List<InRecord>> part : byPartition.entrySet()) {
                writePartition(g, part.getKey(), part.getValue(), b64);
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writePartition(JsonGenerator g, String key, List<InRecord> records, Base64.Encoder b64)
            throws IOException {
        if (!inOffsetOrder(records)) {
            records.sort(Comparator.comparingLong(InRecord::offset));
        }
        g.writeArrayFieldStart(key);
        for (InRecord r : records) {
            g.writeStartObject();
            g.writeStringField("topic", r.topic());
            g.writeNumberField("partition", r.partition());
            g.writeNumberField("offset", r.offset());
            g.writeNumberField("timestamp", r.timestamp());
            g.writeStringField("timestampType", r.timestampType());
            if (r.key() != null) {
                g.writeStringField("key", b64.encodeToString(r.key()));
            }
            if (r.value() != null) {
                g.writeStringField("value", b64.encodeToString(r.value()));
            }
            g.writeArrayFieldStart("headers");
            for (InRecord.Header h : r.headers()) {
                g.writeStartObject();
                g.writeArrayFieldStart(h.name());
                if (h.value() != null) {
                    for (byte b : h.value()) {
                        g.writeNumber(b);
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static boolean inOffsetOrder(List<InRecord> records) {
        for (int i = 1; i < records.size(); i++) {
            if (records.get(i).offset() < records.get(i - 1).offset()) {
                return false;
            }
        }
        return true;
    }
}
