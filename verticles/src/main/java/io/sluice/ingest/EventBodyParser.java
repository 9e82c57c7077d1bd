package io.sluice.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits an ingest request body into events without building objects: a streaming JSON pass checks
 * the framing and remembers where each event starts and ends, so each event is forwarded as the exact
 * bytes the client sent. Field rules (types of {@code code}, {@code truckId}, ...) are not checked here:
 * the producer does it per event and answers {@code invalid} naming the field.
 *
 * <p>Accepted bodies:
 * <ul>
 *   <li>{@code application/json}: one JSON object, or a JSON array of objects;</li>
 *   <li>{@code application/x-ndjson} (or {@code application/ndjson}): one JSON object per line, blank
 *       lines ignored, {@code \r\n} accepted.</li>
 * </ul>
 * A {@code charset} parameter other than UTF-8 is refused (415), and so is a body that is not well-formed UTF-8
 * (400 naming the byte offset; a NUL byte means UTF-16/32). The whole body is refused (nothing of
 * it is sent) when it is empty (400), not well-formed (400, naming the line/element), holds something
 * other than objects (400), or more than {@code maxEvents} events (413).
 *
 * <p>Stateless and thread-safe.
 */
public final class EventBodyParser {
    public static final String JSON = "application/json";
    public static final String NDJSON = "application/x-ndjson";
    private static final String NDJSON_ALT = "application/ndjson";
    private static final int MAX_DETAIL = 160;

    private final JsonFactory factory;
    private final int maxEvents;

    /** @param maxEvents largest number of events one body may hold (≥ 1) */
    public EventBodyParser(int maxEvents) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be >= 1, got " + maxEvents);
        }
        this.maxEvents = maxEvents;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(64).build())
                .build();
    }

    /**
     * @param contentType the request's {@code Content-Type} header, may be {@code null}
     * @param body        the request body, may be {@code null} or empty
     */
    public ParsedBody parse(String contentType, Buffer body) {
        String media = mediaType(contentType);
        if (media == null) {
            return new ParsedBody.Refused(415, "Content-Type", "Content-Type: required, use " + JSON + " or " + NDJSON);
        }
        String charset = charset(contentType);
        if (charset != null && !charset.equals("utf-8") && !charset.equals("utf8")) {
            return new ParsedBody.Refused(415, "Content-Type", "Content-Type: charset must be UTF-8, got " + charset);
        }
        boolean ndjson = media.equals(NDJSON) || media.equals(NDJSON_ALT);
        if (!ndjson && !media.equals(JSON)) {
            return new ParsedBody.Refused(
                    415,
                    "Content-Type",
                    "Content-Type: must be " + JSON + " or " + NDJSON + ", got " + truncate(media));
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        if (isBlank(bytes, 0, bytes.length)) {
            return new ParsedBody.Refused(
                    400, "body", "body: empty, send a JSON object, a JSON array of objects or NDJSON");
        }
        String encodingProblem = utf8Problem(bytes);
        if (encodingProblem != null) {
            return new ParsedBody.Refused(400, "body", encodingProblem);
        }
        try {
            return ndjson ? parseNdjson(bytes) : parseJson(bytes);
        } catch (Refusal r) {
            return r.refused;
        }
    }

    /**
     * Why {@code bytes} is not UTF-8 text JSON can carry, or null: a NUL byte (JSON never holds one raw: the
     * body is UTF-16 or UTF-32), or a sequence that is not well-formed UTF-8 (overlong forms, surrogates, values
     * above U+10FFFF, truncated sequences), with its byte offset.
     */
    static String utf8Problem(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return "body: contains a NUL byte at offset " + i + "; the body must be UTF-8 (UTF-16 and UTF-32 are "
                        + "not accepted)";
            }
        }
        java.nio.charset.CharsetDecoder d = java.nio.charset.StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(8192);
        while (true) {
            java.nio.charset.CoderResult r = d.decode(in, out, true);
            if (r.isError()) {
                return "body: not valid UTF-8 at byte offset " + in.position() + " (the body must be UTF-8)";
            }
            if (r.isUnderflow()) {
                r = d.flush(out.clear());
                return r.isError() ? "body: not valid UTF-8 at the end (truncated sequence)" : null;
            }
            out.clear();
        }
    }

    private ParsedBody parseJson(byte[] bytes) throws Refusal {
        List<Buffer> events = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (JsonParser p = factory.createParser(bytes)) {
            JsonToken first = next(p, "body");
            if (first == JsonToken.START_OBJECT) {
                ids.add(scanObject(p, "body"));
                events.add(Buffer.buffer(bytes));
            } else if (first == JsonToken.START_ARRAY) {
                int index = 0;
                for (JsonToken t = next(p, "body"); t != JsonToken.END_ARRAY; t = next(p, "body")) {
                    String field = "body[" + index + "]";
                    if (t != JsonToken.START_OBJECT) {
                        throw refusal(400, field, field + ": must be a JSON object, got " + describe(t));
                    }
                    if (index == maxEvents) {
                        throw tooMany();
                    }
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    ids.add(scanObject(p, field));
                    int end = (int) p.currentLocation().getByteOffset();
                    events.add(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, start, end)));
                    index++;
                }
                if (events.isEmpty()) {
                    throw refusal(400, "body", "body: the array holds no events");
                }
            } else {
                throw refusal(
                        400, "body", "body: must be a JSON object or an array of objects, got " + describe(first));
            }
            JsonToken trailing = next(p, "body");
            if (trailing != null) {
                throw refusal(
                        400,
                        "body",
                        "body: unexpected content after the JSON value (for several objects use "
                                + "an array, or Content-Type " + NDJSON + ")");
            }
        } catch (IOException e) {
            throw refusal(400, "body", "body: " + e.getMessage());
        }
        return new ParsedBody.Events(events, ids);
    }

    private ParsedBody parseNdjson(byte[] bytes) throws Refusal {
        List<Buffer> events = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        int line = 0;
        int pos = 0;
        while (pos < bytes.length) {
            line++;
            int eol = pos;
            while (eol < bytes.length && bytes[eol] != '\n') {
                eol++;
            }
            int start = pos;
            int end = eol;
            pos = eol + 1;
            while (start < end && isSpace(bytes[start])) {
                start++;
            }
            while (end > start && isSpace(bytes[end - 1])) {
                end--;
            }
            if (start == end) {
                continue;
            }
            String field = "line " + line;
            if (events.size() == maxEvents) {
                throw tooMany();
            }
            try (JsonParser p = factory.createParser(bytes, start, end - start)) {
                JsonToken first = next(p, field);
                if (first != JsonToken.START_OBJECT) {
                    throw refusal(400, field, field + ": must be a JSON object, got " + describe(first));
                }
                ids.add(scanObject(p, field));
                if (next(p, field) != null) {
                    throw refusal(
                            400, field, field + ": unexpected content after the JSON object (one object per line)");
                }
            } catch (IOException e) {
                throw refusal(400, field, field + ": " + e.getMessage());
            }
            events.add(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, start, end)));
        }
        if (events.isEmpty()) {
            throw refusal(400, "body", "body: no events (only blank lines)");
        }
        return new ParsedBody.Events(events, ids);
    }

    /**
     * Reads the object whose START_OBJECT is the current token up to its END_OBJECT; returns its
     * top-level {@code eventId} when that is a string.
     */
    private static String scanObject(JsonParser p, String field) throws Refusal, IOException {
        String eventId = null;
        for (JsonToken t = next(p, field); t != JsonToken.END_OBJECT; t = next(p, field)) {
            // t is FIELD_NAME at depth 1
            String name = p.currentName();
            JsonToken value = next(p, field);
            if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                skipChildren(p, field);
            } else if ("eventId".equals(name) && value == JsonToken.VALUE_STRING) {
                eventId = p.getText();
            }
        }
        return eventId;
    }

    private static void skipChildren(JsonParser p, String field) throws Refusal, IOException {
        int depth = 1;
        while (depth > 0) {
            JsonToken t = next(p, field);
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            }
        }
    }

    /** The next token; malformed JSON and a premature end become a 400 naming {@code field}. */
    private static JsonToken next(JsonParser p, String field) throws Refusal, IOException {
        JsonToken t;
        try {
            t = p.nextToken();
            if (t == JsonToken.VALUE_STRING) {
                p.getTextLength(); // decodes the string now, so bad escapes / encoding are found here
            }
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw refusal(
                    400,
                    field,
                    field + ": malformed JSON" + where + ": " + truncate(firstLine(e.getOriginalMessage())));
        }
        if (t == null && !p.getParsingContext().inRoot()) {
            throw refusal(400, field, field + ": malformed JSON: unexpected end of input");
        }
        return t;
    }

    private Refusal tooMany() {
        return refusal(
                413, "body", "body: more than " + maxEvents + " events (maxEventsPerRequest); split the request");
    }

    private static Refusal refusal(int status, String field, String message) {
        return new Refusal(new ParsedBody.Refused(status, field, message));
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
    }

    /** Lower-case media type without parameters, or null when absent/blank. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        String media =
                (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return media.isEmpty() ? null : media;
    }

    /** Lower-case charset parameter, or null. */
    static String charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                return p.substring(8).trim().replace("\"", "").toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private static boolean isBlank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isSpace(bytes[i])) {
                return false;
            }
        }
        return true;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String truncate(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL - 3) + "...";
    }

    /** Internal control flow: a refusal found deep in the scan. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient ParsedBody.Refused refused;

        Refusal(ParsedBody.Refused refused) {
            super(refused.message(), null, false, false);
            this.refused = refused;
        }
    }
}
