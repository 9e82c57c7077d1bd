package io.sluice.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A strict, allocation-light pass over encoded JSON (the producer's event validation and the dispatcher's
 * poison check): it recognises
 * plain JSON objects (RFC 8259 grammar; strings of printable ASCII without escapes; numbers of at most
 * {@value #MAX_NUMBER_CHARS} characters; names of at most {@value #MAX_NAME_CHARS}; nesting up to
 * {@value #MAX_DEPTH}: well inside the decoder's own limits) and extracts the top-level
 * {@code code}, {@code truckId}, {@code eventId} and {@code timestamp}. Everything it accepts the JSON
 * decoder accepts too, with the same values; anything else (escapes, non-ASCII bytes, comments, other
 * types for those fields, unusual forms) makes it answer "irregular" and the caller decodes the event fully.
 * Stateless and thread-safe.
 */
public final class AsciiJsonScanner {
    public static final int CODE = 0;
    public static final int TRUCK_ID = 1;
    public static final int EVENT_ID = 2;
    public static final int TIMESTAMP = 3;
    static final int MAX_NUMBER_CHARS = 100;
    static final int MAX_DEPTH = 200;
    static final int MAX_NAME_CHARS = 1000;

    private static final byte[][] NAMES = {utf8("code"), utf8("truckId"), utf8("eventId"), utf8("timestamp")};
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long DELS = 0x7F7F7F7F7F7F7F7FL;
    private static final long SPACES = 0x2020202020202020L;
    private static final byte[] TRUE = utf8("true");
    private static final byte[] FALSE = utf8("false");
    private static final byte[] NULL = utf8("null");

    private AsciiJsonScanner() {}

    /**
     * Scans {@code b}; on success fills {@code out} (length 4) with the top-level values of the checked fields
     * ({@code Long} for integers, {@code String} for strings, {@code null} when absent or JSON null; the last
     * occurrence wins, as in the decoded object) and returns true. Returns false for anything irregular.
     *
     * <p>Written as static steps over a position (each takes where to start and returns where it stopped), and
     * strings are skipped eight bytes at a time: this pass is the producer's largest per-event cost.
     */
    public static boolean scan(byte[] b, Object[] out) {
        try {
            int i = expect(b, ws(b, 0), '{');
            i = topLevelMembers(b, i, out);
            return ws(b, i) == b.length; // trailing content is irregular
        } catch (Irregular e) {
            return false;
        }
    }

    /**
     * Whether {@code b} is one plain JSON object and nothing else (same grammar as {@link #scan}, nothing
     * extracted, nothing allocated). False means "not vouched for", not "invalid": the caller decides with a full
     * parser.
     */
    public static boolean isPlainObject(byte[] b) {
        try {
            int i = ws(b, 0);
            if (at(b, i) != '{') {
                return false;
            }
            return ws(b, container(b, i, 1, (byte) '}', true)) == b.length;
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

    private static int topLevelMembers(byte[] b, int i, Object[] out) {
        i = ws(b, i);
        if (at(b, i) == '}') {
            return i + 1;
        }
        while (true) {
            i = ws(b, i);
            int nameStart = i + 1;
            i = name(b, i);
            int field = field(b, nameStart, i - 1);
            i = ws(b, expect(b, ws(b, i), ':'));
            i = field < 0 ? value(b, i, 1) : checkedValue(b, i, out, field);
            i = ws(b, i);
            byte c = at(b, i++);
            if (c == '}') {
                return i;
            }
            if (c != ',') {
                throw Irregular.INSTANCE;
            }
        }
    }

    /**
     * The value of a checked field into {@code out[field]}: an integer of at most 18 characters (as Long), a
     * plain string, or null; anything else (fractions, exponents, longer digit strings) is irregular.
     */
    private static int checkedValue(byte[] b, int i, Object[] out, int field) {
        byte c = at(b, i);
        if (c == '"') {
            int end = string(b, i);
            out[field] = new String(b, i + 1, end - i - 2, StandardCharsets.ISO_8859_1); // printable ASCII only
            return end;
        }
        if (c == 'n') {
            out[field] = null;
            return literal(b, i, NULL);
        }
        boolean negative = c == '-';
        int j = negative ? i + 1 : i;
        int digitsStart = j;
        long value = 0;
        while (j < b.length && isDigit(b[j]) && j - i < 18) {
            value = value * 10 + (b[j] - '0');
            j++;
        }
        int digits = j - digitsStart;
        if (digits == 0
                || (digits > 1 && b[digitsStart] == '0')
                || (j < b.length && (isDigit(b[j]) || b[j] == '.' || b[j] == 'e' || b[j] == 'E'))) {
            throw Irregular.INSTANCE; // no digit, a leading zero, too long, or not an integer: the decoder decides
        }
        out[field] = negative ? -value : value;
        return j;
    }

    private static int field(byte[] b, int from, int to) {
        switch (to - from) { // most names have none of the checked lengths: no byte compared
            case 4:
                return sameBytes(b, from, NAMES[CODE]) ? CODE : -1;
            case 7:
                return sameBytes(b, from, NAMES[TRUCK_ID])
                        ? TRUCK_ID
                        : sameBytes(b, from, NAMES[EVENT_ID]) ? EVENT_ID : -1;
            case 9:
                return sameBytes(b, from, NAMES[TIMESTAMP]) ? TIMESTAMP : -1;
            default:
                return -1;
        }
    }

    private static boolean sameBytes(byte[] b, int from, byte[] n) {
        for (int k = 0; k < n.length; k++) {
            if (b[from + k] != n[k]) {
                return false;
            }
        }
        return true;
    }

    /** Skips any JSON value nested at {@code depth}. */
    private static int value(byte[] b, int i, int depth) {
        if (depth > MAX_DEPTH) {
            throw Irregular.INSTANCE;
        }
        switch (at(b, i)) {
            case '"':
                return string(b, i);
            case '{':
                return container(b, i, depth, (byte) '}', true);
            case '[':
                return container(b, i, depth, (byte) ']', false);
            case 't':
                return literal(b, i, TRUE);
            case 'f':
                return literal(b, i, FALSE);
            case 'n':
                return literal(b, i, NULL);
            default:
                return number(b, i);
        }
    }

    /** An object (members {@code "name": value}) or an array (values), from its opening bracket. */
    private static int container(byte[] b, int i, int depth, byte close, boolean members) {
        i = ws(b, i + 1);
        if (at(b, i) == close) {
            return i + 1;
        }
        while (true) {
            i = ws(b, i);
            if (members) {
                i = ws(b, expect(b, ws(b, name(b, i)), ':'));
            }
            i = ws(b, value(b, i, depth + 1));
            byte d = at(b, i++);
            if (d == close) {
                return i;
            }
            if (d != ',') {
                throw Irregular.INSTANCE;
            }
        }
    }

    private static int name(byte[] b, int i) {
        int end = string(b, i);
        if (end - i - 2 > MAX_NAME_CHARS) {
            throw Irregular.INSTANCE;
        }
        return end;
    }

    /** A string of printable ASCII without escapes, from its opening quote; returns the index after the closing one. */
    private static int string(byte[] b, int i) {
        if (at(b, i) != '"') {
            throw Irregular.INSTANCE;
        }
        int j = i + 1;
        while (j + Long.BYTES <= b.length && plain((long) LONGS.get(b, j))) { // eight ordinary characters at a time
            j += Long.BYTES;
        }
        for (; j < b.length; j++) { // the word with the closing quote (or the irregular byte), or a short tail
            byte c = b[j];
            if (c == '"') {
                return j + 1;
            }
            if (c < 0x20 || c == 0x7f || c == '\\') { // control, non-ASCII (negative as a byte), DEL, escape
                throw Irregular.INSTANCE;
            }
        }
        throw Irregular.INSTANCE;
    }

    /**
     * Whether none of the eight bytes of {@code w} is a quote, a backslash, a control character, DEL or non-ASCII
     * (every byte that ends or spoils a plain string), tested on the whole word at once.
     */
    static boolean plain(long w) {
        long quote = w ^ QUOTES;
        long backslash = w ^ BACKSLASHES;
        long del = w ^ DELS;
        long zeroes = ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((del - ONES) & ~del);
        long below20 = (w - SPACES) & ~w;
        return ((zeroes | below20 | w) & HIGHS) == 0; // w's own high bits: non-ASCII bytes
    }

    /** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
    private static int number(byte[] b, int i) {
        int start = i;
        if (at(b, i) == '-') {
            i++;
        }
        byte c = at(b, i++);
        if (c == '0') {
            if (i < b.length && isDigit(b[i])) {
                throw Irregular.INSTANCE;
            }
        } else if (c >= '1' && c <= '9') {
            i = digits(b, i, false);
        } else {
            throw Irregular.INSTANCE;
        }
        if (i < b.length && b[i] == '.') {
            i = digits(b, i + 1, true);
        }
        if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < b.length && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            i = digits(b, i, true);
        }
        if (i - start > MAX_NUMBER_CHARS) {
            throw Irregular.INSTANCE;
        }
        return i;
    }

    private static int digits(byte[] b, int i, boolean atLeastOne) {
        int j = i;
        while (j < b.length && isDigit(b[j])) {
            j++;
        }
        if (atLeastOne && j == i) {
            throw Irregular.INSTANCE;
        }
        return j;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static int literal(byte[] b, int i, byte[] word) {
        if (i + word.length > b.length || !sameBytes(b, i, word)) {
            throw Irregular.INSTANCE;
        }
        int end = i + word.length;
        if (end < b.length && Character.isLetterOrDigit(b[end])) {
            throw Irregular.INSTANCE;
        }
        return end;
    }

    private static int ws(byte[] b, int i) {
        if (i < b.length && b[i] > ' ') {
            return i; // the usual case: no whitespace at all (every whitespace byte is <= ' ')
        }
        while (i < b.length) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return i;
            }
            i++;
        }
        return i;
    }

    private static int expect(byte[] b, int i, char c) {
        if (at(b, i) != c) {
            throw Irregular.INSTANCE;
        }
        return i + 1;
    }

    private static byte at(byte[] b, int i) {
        if (i >= b.length) {
            throw Irregular.INSTANCE;
        }
        return b[i];
    }
}
