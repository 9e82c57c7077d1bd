package io.sluice.dispatch;

import io.sluice.record.InRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

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
 *
 * <p>Written straight into one byte array sized from {@link InRecord#payloadBytes} (an upper bound, so it never
 * grows), base64 encoded in place: this is the dispatcher's largest per-record cost, and a general JSON generator
 * spent most of it on bookkeeping that compact output of known shape does not need.
 */
public final class KafkaEventPayload {
    private static final byte[] BASE64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] SIGNED_BYTES = new byte[256][];
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    static {
        for (int b = -128; b < 128; b++) {
            SIGNED_BYTES[b & 0xff] = Integer.toString(b).getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Event-level field: the attempt of this invocation at its records, written when above 1. */
    public static final String DELIVERY_ATTEMPT_FIELD = "sluiceDeliveryAttempt";

    private final byte[] head;

    /** @param eventSourceArn the MSK cluster ARN (event source "aws:kafka"), or null ("SelfManagedKafka") */
    public KafkaEventPayload(String bootstrapServers, String eventSourceArn) {
        Out o = new Out(64 + 6 * (bootstrapServers.length() + (eventSourceArn == null ? 0 : eventSourceArn.length())));
        if (eventSourceArn != null) {
            o.ascii("{\"eventSource\":\"aws:kafka\",\"eventSourceArn\":").string(eventSourceArn);
        } else {
            o.ascii("{\"eventSource\":\"SelfManagedKafka\"");
        }
        o.ascii(",\"bootstrapServers\":").string(bootstrapServers);
        this.head = o.bytes();
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
        List<List<InRecord>> partitions = byPartition(records);
        long bound = head.length + 48L;
        for (List<InRecord> p : partitions) {
            InRecord first = p.get(0);
            bound += 16 + 6L * first.topic().length() + 11 + p.size();
            for (InRecord r : p) {
                bound += r.payloadBytes();
            }
        }
        if (bound > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("payload of " + records.size() + " records exceeds 2 GiB");
        }
        Out o = new Out((int) bound);
        o.raw(head);
        if (deliveryAttempt > 1) {
            o.ascii(",\"" + DELIVERY_ATTEMPT_FIELD + "\":").number(deliveryAttempt);
        }
        o.ascii(",\"records\":{");
        boolean firstPartition = true;
        for (List<InRecord> p : partitions) {
            if (!firstPartition) {
                o.ch(',');
            }
            firstPartition = false;
            writePartition(o, p);
        }
        o.ch('}').ch('}');
        return o.bytes();
    }

    /** The records grouped by topic-partition in first-appearance order; runs of one partition need no lookup. */
    private static List<List<InRecord>> byPartition(List<InRecord> records) {
        List<List<InRecord>> groups = new ArrayList<>();
        List<InRecord> current = null;
        for (InRecord r : records) {
            if (current == null || !samePartition(current.get(0), r)) {
                current = null;
                for (List<InRecord> g : groups) { // few partitions per batch, and records come in runs
                    if (samePartition(g.get(0), r)) {
                        current = g;
                        break;
                    }
                }
                if (current == null) {
                    current = new ArrayList<>();
                    groups.add(current);
                }
            }
            current.add(r);
        }
        return groups;
    }

    private static boolean samePartition(InRecord a, InRecord b) {
        return a.partition() == b.partition() && a.topic().equals(b.topic());
    }

    private static void writePartition(Out o, List<InRecord> records) {
        if (!inOffsetOrder(records)) {
            records.sort(Comparator.comparingLong(InRecord::offset));
        }
        InRecord first = records.get(0);
        o.ch('"').text(first.topic()).ch('-').number(first.partition()).ascii("\":[");
        for (int i = 0; i < records.size(); i++) {
            InRecord r = records.get(i);
            if (i > 0) {
                o.ch(',');
            }
            o.ascii("{\"topic\":")
                    .string(r.topic())
                    .ascii(",\"partition\":")
                    .number(r.partition())
                    .ascii(",\"offset\":")
                    .number(r.offset())
                    .ascii(",\"timestamp\":")
                    .number(r.timestamp())
                    .ascii(",\"timestampType\":")
                    .string(r.timestampType());
            if (r.key() != null) {
                o.ascii(",\"key\":").base64(r.key());
            }
            if (r.value() != null) {
                o.ascii(",\"value\":").base64(r.value());
            }
            o.ascii(",\"headers\":[");
            List<InRecord.Header> headers = r.headers();
            for (int h = 0; h < headers.size(); h++) {
                InRecord.Header header = headers.get(h);
                if (h > 0) {
                    o.ch(',');
                }
                o.ch('{').string(header.name()).ascii(":[");
                byte[] v = header.value();
                if (v != null) {
                    for (int k = 0; k < v.length; k++) {
                        if (k > 0) {
                            o.ch(',');
                        }
                        o.raw(SIGNED_BYTES[v[k] & 0xff]);
                    }
                }
                o.ascii("]}");
            }
            o.ascii("]}");
        }
        o.ch(']');
    }

    private static boolean inOffsetOrder(List<InRecord> records) {
        for (int i = 1; i < records.size(); i++) {
            if (records.get(i).offset() < records.get(i - 1).offset()) {
                return false;
            }
        }
        return true;
    }

    /** Compact JSON into a byte array that grows only when its first size was not enough. */
    private static final class Out {
        private byte[] buf;
        private int pos;

        Out(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        private void room(int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        Out ch(char c) {
            room(1);
            buf[pos++] = (byte) c;
            return this;
        }

        Out raw(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
            return this;
        }

        /** ASCII text known to need no escaping (the constant parts). */
        Out ascii(String s) {
            int n = s.length();
            room(n);
            for (int i = 0; i < n; i++) {
                buf[pos++] = (byte) s.charAt(i);
            }
            return this;
        }

        /** A JSON string: quotes around {@link #text}. */
        Out string(String s) {
            return ch('"').text(s).ch('"');
        }

        /** The inside of a JSON string: {@code "} and {@code \} escaped, control characters as {@code \\u} and four hex digits, UTF-8. */
        Out text(String s) {
            int n = s.length();
            room(6 * n);
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) { // rare: encode the rest as UTF-8 (String's encoder handles surrogate pairs)
                    byte[] rest = s.substring(i).getBytes(StandardCharsets.UTF_8);
                    for (byte b : rest) {
                        if (b >= 0) {
                            escaped((char) b);
                        } else {
                            buf[pos++] = b;
                        }
                    }
                    return this;
                }
                escaped(c);
            }
            return this;
        }

        private void escaped(char c) {
            if (c == '"' || c == '\\') {
                buf[pos++] = '\\';
                buf[pos++] = (byte) c;
            } else if (c < 0x20) {
                buf[pos++] = '\\';
                buf[pos++] = 'u';
                buf[pos++] = '0';
                buf[pos++] = '0';
                buf[pos++] = HEX[c >> 4];
                buf[pos++] = HEX[c & 0xf];
            } else {
                buf[pos++] = (byte) c;
            }
        }

        Out number(long v) {
            if (v == Long.MIN_VALUE) {
                return ascii("-9223372036854775808");
            }
            room(20);
            if (v < 0) {
                buf[pos++] = '-';
                v = -v;
            }
            int start = pos;
            do {
                buf[pos++] = (byte) ('0' + (v % 10));
                v /= 10;
            } while (v > 0);
            for (int i = start, j = pos - 1; i < j; i++, j--) {
                byte t = buf[i];
                buf[i] = buf[j];
                buf[j] = t;
            }
            return this;
        }

        /** A JSON string of the standard base64 (RFC 4648, padded) of {@code b}. */
        Out base64(byte[] b) {
            int n = b.length;
            room(4 * ((n + 2) / 3) + 2);
            buf[pos++] = '"';
            int i = 0;
            for (; i + 3 <= n; i += 3) {
                int bits = (b[i] & 0xff) << 16 | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff);
                buf[pos++] = BASE64[bits >>> 18];
                buf[pos++] = BASE64[(bits >>> 12) & 0x3f];
                buf[pos++] = BASE64[(bits >>> 6) & 0x3f];
                buf[pos++] = BASE64[bits & 0x3f];
            }
            if (n - i == 1) {
                int bits = (b[i] & 0xff) << 16;
                buf[pos++] = BASE64[bits >>> 18];
                buf[pos++] = BASE64[(bits >>> 12) & 0x3f];
                buf[pos++] = '=';
                buf[pos++] = '=';
            } else if (n - i == 2) {
                int bits = (b[i] & 0xff) << 16 | (b[i + 1] & 0xff) << 8;
                buf[pos++] = BASE64[bits >>> 18];
                buf[pos++] = BASE64[(bits >>> 12) & 0x3f];
                buf[pos++] = BASE64[(bits >>> 6) & 0x3f];
                buf[pos++] = '=';
            }
            buf[pos++] = '"';
            return this;
        }

        byte[] bytes() {
            return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
        }
    }
}
