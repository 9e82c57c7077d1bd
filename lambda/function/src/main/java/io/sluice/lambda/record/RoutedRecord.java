package io.sluice.lambda.record;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.lambda.RecordId;
import java.io.IOException;
import java.io.OutputStream;

/**
 * What a target receives for one record (a JSON array of these per target call):
 * {@code {"eventId","code","truckId","timestamp","seq"(if present),"key","topic","partition","offset",
 * "idempotencyKey","correlationId","event"}}; {@code event} is the original event object as JSON text (see
 * {@link TelemetryEvent#json}), written as it came.
 */
public record RoutedRecord(
        String eventId,
        int code,
        String truckId,
        long timestamp,
        Long seq,
        String key,
        String topic,
        int partition,
        long offset,
        String idempotencyKey,
        String correlationId,
        byte[] event) {

    public RecordId id() {
        return RecordId.of(topic, partition, offset);
    }

    /**
     * Writes this record as one JSON object, fields in contract order; {@code event} goes to {@code out} (the stream
     * {@code g} writes to) byte for byte as it came, without a round trip through a String.
     */
    public void writeTo(JsonGenerator g, OutputStream out) throws IOException {
        g.writeStartObject();
        g.writeStringField("eventId", eventId);
        g.writeNumberField("code", code);
        g.writeStringField("truckId", truckId);
        g.writeNumberField("timestamp", timestamp);
        if (seq != null) {
            g.writeNumberField("seq", seq);
        }
        g.writeStringField("key", key);
        g.writeStringField("topic", topic);
        g.writeNumberField("partition", partition);
        g.writeNumberField("offset", offset);
        g.writeStringField("idempotencyKey", idempotencyKey);
        g.writeStringField("correlationId", correlationId);
        g.writeFieldName("event");
        g.writeRawValue(""); // the name's separator; the value follows in the stream itself
        g.flush();
        out.write(event);
        g.writeEndObject();
    }
}
