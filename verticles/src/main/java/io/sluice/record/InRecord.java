package io.sluice.record;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A record taken from Kafka, as it travels through batching and dispatch. Immutable by contract: the
 * arrays are never modified after the consumer created it.
 *
 * @param epoch        assignment epoch of its partition when it was polled (stale completions are ignored)
 * @param polledAtMs   wall-clock time the consumer received it
 * @param payloadBytes bytes this record adds to a Lambda Kafka-event payload, never fewer than it does: derived
 *                     from the other components when the record is created (whatever is passed), since batching
 *                     reads it several times per record
 */
public record InRecord(
        String topic,
        int partition,
        long offset,
        long timestamp,
        String timestampType,
        byte[] key,
        byte[] value,
        List<Header> headers,
        long epoch,
        long polledAtMs,
        int payloadBytes) {

    public InRecord {
        payloadBytes = payloadBound(partition, offset, timestamp, topic, key, value, headers);
    }

    /** A record with its {@link #payloadBytes} derived. */
    public InRecord(
            String topic,
            int partition,
            long offset,
            long timestamp,
            String timestampType,
            byte[] key,
            byte[] value,
            List<Header> headers,
            long epoch,
            long polledAtMs) {
        this(topic, partition, offset, timestamp, timestampType, key, value, headers, epoch, polledAtMs, 0);
    }

    /** A Kafka header. */
    public record Header(String name, byte[] value) {}

    /**
     * The field names and punctuation (118, rounded up to 128), the numbers' digits, the topic (Kafka allows only
     * ASCII letters, digits, '.', '_' and '-'), base64 key and value, and per header its name as JSON escapes it and
     * its bytes as signed integers with commas.
     */
    private static int payloadBound(
            int partition, long offset, long timestamp, String topic, byte[] key, byte[] value, List<Header> headers) {
        int n = 128
                + digits(partition)
                + digits(offset)
                + digits(timestamp)
                + topic.length()
                + base64Len(key)
                + base64Len(value);
        for (Header h : headers) {
            n += 8 + jsonStringBytes(h.name()) + signedBytesJson(h.value());
        }
        return n;
    }

    private static int digits(long v) {
        if (v == Long.MIN_VALUE) {
            return 20;
        }
        int n = v < 0 ? 2 : 1;
        for (long x = Math.abs(v); x >= 10; x /= 10) {
            n++;
        }
        return n;
    }

    /** Bytes of {@code s} inside a JSON string, at most: escapes 6, other UTF-8 up to 3 per char. */
    private static int jsonStringBytes(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x20 || c == '"' || c == '\\' ? 6 : c < 0x80 ? 1 : 3;
        }
        return n;
    }

    /** "1,-128,27" for a byte array: each byte's digits (and sign) and the commas between. */
    private static int signedBytesJson(byte[] v) {
        if (v == null || v.length == 0) {
            return 0;
        }
        int n = v.length - 1;
        for (byte b : v) {
            int x = Math.abs((int) b);
            n += (b < 0 ? 1 : 0) + (x < 10 ? 1 : x < 100 ? 2 : 3);
        }
        return n;
    }

    /** Raw key + value bytes (for in-flight memory accounting). */
    public int rawBytes() {
        return (key == null ? 0 : key.length) + (value == null ? 0 : value.length) + 64;
    }

    public String keyString() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    /** "topic-partition@offset", for log lines. */
    public String coordinates() {
        return topic + "-" + partition + "@" + offset;
    }

    private static int base64Len(byte[] b) {
        return b == null ? 4 : 4 * ((b.length + 2) / 3);
    }
}
