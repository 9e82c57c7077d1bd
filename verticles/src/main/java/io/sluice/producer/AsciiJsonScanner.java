package io.sluice.producer;

import java.nio.charset.StandardCharsets;

/**
 * A strict, allocation-light pass over an encoded event for {@link EventValidator#scan}: it recognises
 * plain JSON objects (RFC 8259 grammar; strings of printable ASCII without escapes; numbers of at most
 * {@value #MAX_NUMBER_CHARS} characters; names of at most {@value #MAX_NAME_CHARS}; nesting up to
 * {@value #MAX_DEPTH}: well inside the decoder's own limits) and extracts the top-level
 * {@code code}, {@code truckId}, {@code eventId} and {@code timestamp}. Everything it accepts the JSON
 * decoder accepts too, with the same values; anything else (escapes, non-ASCII bytes, comments, other
 * types for those fields, unusual forms) makes it answer "irregular" and the caller decodes the event fully.
 * Stateless and thread-safe.
 */
final class AsciiJsonScanner {
    static final int CODE = 0;
    static final int TRUCK_ID = 1;
    static final int EVENT_ID = 2;
    static final int TIMESTAMP = 3;
    static final int MAX_NUMBER_CHARS = 100;
    static final int MAX_DEPTH = 200;
    static final int MAX_NAME_CHARS = 1000;

    private static final byte[][] NAMES = {utf8("code"), utf8("truckId"), utf8("eventId"), utf8("timestamp")};

    private AsciiJsonScanner() {
    }

    /**
     * Scans {@code b}; on success fills {@code out} (length 4) with the top-level values of the checked fields
     * ({@code Long} for integers, {@code String} for strings, {@code null} when absent or JSON null; the last
     * occurrence wins, as in the decoded object) and returns true. Returns false for anything irregular.
     */
    static boolean scan(byte[] b, Object[] out) {
        try {
            return new Pass(b, out).object();
        } catch (Irregular e) {
            return false;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Thrown (without a stack) on anything this scanner does not vouch for. */
    private static final class Irregular extends RuntimeException {
        static final Irregular INSTANCE = new Irregular();

        private Irregular() {
            super(null, null, false, false);
        }
    }

    private static final class Pass {
        private final byte[] b;
        private final Object[] out;
        private int i;

        Pass(byte[] b, Object[] out) {
            this.b = b;
            this.out = out;
        }

        boolean object() {
            ws();
            expect('{');
            topLevelMembers();
            ws();
            return i == b.length; // trailing content is irregular
        }

        private void topLevelMembers() {
            ws();
            if (peek() == '}') {
                i++;
                return;
            }
            while (true) {
                ws();
                int nameStart = i + 1;
                name();
                int field = field(nameStart, i - 1);
                ws();
                expect(':');
                ws();
                if (field < 0) {
                    value(1);
                } else {
                    out[field] = checkedValue();
                }
                ws();
                byte c = next();
                if (c == '}') {
                    return;
                }
                if (c != ',') {
                    throw Irregular.INSTANCE;
                }
            }
        }

        /** The value of a checked field: an integer (as Long), a plain string, or null; else irregular. */
        private Object checkedValue() {
            byte c = peek();
            if (c == '"') {
                int start = i + 1;
                string();
                return new String(b, start, i - 1 - start, StandardCharsets.ISO_8859_1); // printable ASCII only
            }
            if (c == 'n') {
                literal("null");
                return null;
            }
            int start = i;
            boolean integer = number();
            int len = i - start;
            if (!integer || len > 18) { // fractions, exponents and long digit strings: left to the decoder
                throw Irregular.INSTANCE;
            }
            return Long.parseLong(new String(b, start, len, StandardCharsets.ISO_8859_1));
        }

        private int field(int from, int to) {
            int len = to - from;
            for (int f = 0; f < NAMES.length; f++) {
                byte[] n = NAMES[f];
                if (n.length == len && n[0] == b[from] && sameBytes(from, n)) {
                    return f;
                }
            }
            return -1;
        }

        private boolean sameBytes(int from, byte[] n) {
            for (int k = 1; k < n.length; k++) {
                if (b[from + k] != n[k]) {
                    return false;
                }
            }
            return true;
        }

        private void value(int depth) {
            if (depth > MAX_DEPTH) {
                throw Irregular.INSTANCE;
            }
            byte c = peek();
            switch (c) {
                case '"' -> string();
                case '{' -> {
                    i++;
                    ws();
                    if (peek() == '}') {
                        i++;
                        return;
                    }
                    while (true) {
                        ws();
                        name();
                        ws();
                        expect(':');
                        ws();
                        value(depth + 1);
                        ws();
                        byte d = next();
                        if (d == '}') {
                            return;
                        }
                        if (d != ',') {
                            throw Irregular.INSTANCE;
                        }
                    }
                }
                case '[' -> {
                    i++;
                    ws();
                    if (peek() == ']') {
                        i++;
                        return;
                    }
                    while (true) {
                        ws();
                        value(depth + 1);
                        ws();
                        byte d = next();
                        if (d == ']') {
                            return;
                        }
                        if (d != ',') {
                            throw Irregular.INSTANCE;
                        }
                    }
                }
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'n' -> literal("null");
                default -> number();
            }
        }

        private void name() {
            int start = i;
            string();
            if (i - start - 2 > MAX_NAME_CHARS) {
                throw Irregular.INSTANCE;
            }
        }

        /** A string of printable ASCII without escapes; leaves {@code i} after the closing quote. */
        private void string() {
            expect('"');
            while (true) {
                byte c = next();
                if (c == '"') {
                    return;
                }
                if (c < 0x20 || c > 0x7e || c == '\\') { // control, non-ASCII (negative), escape
                    throw Irregular.INSTANCE;
                }
            }
        }

        /** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?; true when it is an integer (no fraction, no exponent). */
        private boolean number() {
            int start = i;
            if (peek() == '-') {
                i++;
            }
            byte c = next();
            if (c == '0') {
                if (i < b.length && isDigit(b[i])) {
                    throw Irregular.INSTANCE;
                }
            } else if (c >= '1' && c <= '9') {
                digits(false);
            } else {
                throw Irregular.INSTANCE;
            }
            boolean integer = true;
            if (i < b.length && b[i] == '.') {
                i++;
                digits(true);
                integer = false;
            }
            if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
                i++;
                if (i < b.length && (b[i] == '+' || b[i] == '-')) {
                    i++;
                }
                digits(true);
                integer = false;
            }
            if (i - start > MAX_NUMBER_CHARS) {
                throw Irregular.INSTANCE;
            }
            return integer;
        }

        private void digits(boolean atLeastOne) {
            int start = i;
            while (i < b.length && isDigit(b[i])) {
                i++;
            }
            if (atLeastOne && i == start) {
                throw Irregular.INSTANCE;
            }
        }

        private static boolean isDigit(byte c) {
            return c >= '0' && c <= '9';
        }

        private void literal(String word) {
            for (int k = 0; k < word.length(); k++) {
                if (next() != word.charAt(k)) {
                    throw Irregular.INSTANCE;
                }
            }
            if (i < b.length && Character.isLetterOrDigit(b[i])) {
                throw Irregular.INSTANCE;
            }
        }

        private void ws() {
            while (i < b.length) {
                byte c = b[i];
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    i++;
                } else {
                    return;
                }
            }
        }

        private void expect(char c) {
            if (next() != c) {
                throw Irregular.INSTANCE;
            }
        }

        private byte peek() {
            if (i >= b.length) {
                throw Irregular.INSTANCE;
            }
            return b[i];
        }

        private byte next() {
            if (i >= b.length) {
                throw Irregular.INSTANCE;
            }
            return b[i++];
        }
    }
}
