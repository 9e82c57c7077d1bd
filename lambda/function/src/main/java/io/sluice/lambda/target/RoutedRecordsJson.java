package io.sluice.lambda.target;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.lambda.record.RoutedRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Serializes routed records as the JSON array a target receives. */
public final class RoutedRecordsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Room for a record's fields other than its event (ids, key, topic, offsets), so the buffer rarely grows. */
    private static final int FIELDS_BYTES = 384;

    private RoutedRecordsJson() {}

    public static byte[] toJsonArray(List<RoutedRecord> records) {
        long size = 2;
        for (RoutedRecord r : records) {
            size += r.event().length + FIELDS_BYTES;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, size));
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (RoutedRecord r : records) {
                r.writeTo(g, out);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
