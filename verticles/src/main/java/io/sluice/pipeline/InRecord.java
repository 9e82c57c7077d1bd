package io.sluice.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A record taken from Kafka, as it travels through batching and dispatch. Immutable by contract: the
 * arrays are never modified after the consumer created it.
 *
 * @param epoch     assignment epoch of its partition when it was polled (stale completions are ignored)
 * @param polledAtMs wall-clock time the consumer received it
 */
public record InRecord(String topic, int partition, long offset, long timestamp, String timestampType, byte[] key,
                       byte[] value, List<Header> headers, long epoch, long polledAtMs) {

    /** A Kafka header. */
    public record Header(String name, byte[] value) {
    }

    /**
     * Bytes this record adds to a Lambda Kafka-event payload, never fewer than it does: the field names and
     * punctuation (128), the largest numbers (partition 10, offset and timestamp 20 digits each), the timestamp type,
     * base64 key and value, and per header its name (quoted, each char up to 6 bytes escaped) and bytes as signed
     * integers ("-128," = 5).
     */
    public int payloadBytes() {
        int n = 128 + 10 + 20 + 20 + 20 + topic.length() * 6 + base64Len(key) + base64Len(value);
        for (Header h : headers) {
            n += h.name().length() * 6 + 8 + (h.value() == null ? 0 : h.value().length * 5);
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
