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

    private RoutedRecordsJson() {}

    public static byte[] toJsonArray(List<RoutedRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * Math.max(1, records.size()));
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (RoutedRecord r : records) {
                r.writeTo(g);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
