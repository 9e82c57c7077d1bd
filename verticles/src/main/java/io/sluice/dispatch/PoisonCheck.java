package io.sluice.dispatch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.json.AsciiJsonScanner;
import java.io.IOException;

/**
 * Tells whether a record value is a well-formed JSON object, without building a tree (a streaming pass).
 * Records that are not go to the DLQ at once instead of failing their batch over and over. Plain objects (printable
 * ASCII strings without escapes, the usual telemetry) pass {@link AsciiJsonScanner#isPlainObject} without a parser;
 * anything else is decided by Jackson's streaming parser. Pure logic.
 */
public final class PoisonCheck {
    private static final JsonFactory JSON = new JsonFactory();

    private PoisonCheck() {}

    /** Null when {@code value} is one JSON object and nothing else; otherwise why not. */
    public static String problem(byte[] value) {
        if (value == null || value.length == 0) {
            return "empty value";
        }
        if (AsciiJsonScanner.isPlainObject(value)) {
            return null;
        }
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "value is not a JSON object";
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                return "trailing content after the JSON object";
            }
            return null;
        } catch (IOException e) {
            String m = e.getMessage();
            int nl = m == null ? -1 : m.indexOf('\n');
            return "value is not valid JSON: " + (nl < 0 ? m : m.substring(0, nl));
        }
    }
}
