package io.sluice.dispatch;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.pipeline.InRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the AWS Lambda Kafka event (the payload an MSK or self-managed Kafka event source mapping
 * sends), so the same function works behind Sluice and behind an event source mapping:
 * {@code {"eventSource":"SelfManagedKafka"|"aws:kafka","eventSourceArn"?:…,"bootstrapServers":…,
 * "records":{"<topic>-<partition>":[{"topic","partition","offset","timestamp","timestampType",
 * "key","value","headers":[{"name":[byte,…]}]}]}}}. Pure logic.
 *
 * <p>As an event source mapping writes it: {@code partition}, {@code offset} and {@code timestamp} are JSON
 * integers; {@code timestampType} is {@code CREATE_TIME}, {@code LOG_APPEND_TIME} or {@code NO_TIMESTAMP_TYPE}
 * (the records carry these names, see {@link io.sluice.consumer.RecordConversion}); {@code key} and {@code value}
 * are base64 and left out when null; {@code headers} keeps Kafka's order and repeated names, one single-key
 * object per header, its bytes as signed JSON integers (-128..127, Java's {@code byte}); a null header value is an
 * empty array. {@code EsmPayloadIT} checks all of this against AWS's example event.
 */
public final class KafkaEventPayload {
    private static final JsonFactory JSON = new JsonFactory();
    /** Event-level field: the attempt of this invocation at its records, written when above 1. */
    public static final String DELIVERY_ATTEMPT_FIELD = "sluiceDeliveryAttempt";
    private final String bootstrapServers;
    private final String eventSourceArn;

    /** @param eventSourceArn the MSK cluster ARN (event source "aws:kafka"), or null ("SelfManagedKafka") */
    public KafkaEventPayload(String bootstrapServers, String eventSourceArn) {
        this.bootstrapServers = bootstrapServers;
        this.eventSourceArn = eventSourceArn;
    }

    /**
     * The event for records of any partitions: one {@code "<topic>-<partition>"} array per partition, in the order
     * the partitions first appear, each in offset order (records of several key lanes of a partition interleave
     * by offset; each lane's own order is kept).
     */
    public byte[] build(List<InRecord> records) {
        return build(records, 1);
    }

    /**
     * {@link #build(List)} for the {@code deliveryAttempt}-th invocation of these records: above 1 the event carries
     * {@code "sluiceDeliveryAttempt": n} (a Sluice field an event source mapping never writes; the function treats
     * every record of such an event as a possible redelivery).
     */
    public byte[] build(List<InRecord> records, int deliveryAttempt) {
        Map<String, List<InRecord>> byPartition = new LinkedHashMap<>();
        for (InRecord r : records) {
            byPartition.computeIfAbsent(r.topic() + "-" + r.partition(), k -> new ArrayList<>()).add(r);
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
            if (deliveryAttempt > 1) {
                g.writeNumberField(DELIVERY_ATTEMPT_FIELD, deliveryAttempt);
            }
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
