package io.sluice.producer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A producer record as a spool entry and back: version byte, topic, key, value and headers, each
 * length-prefixed (the spool's CRC32C covers the whole entry). No I/O.
 */
final class SpooledRecords {
    private static final byte VERSION = 1;

    private SpooledRecords() {}

    static byte[] encode(ProducerRecord<byte[], byte[]> r) {
        byte[] topic = r.topic().getBytes(StandardCharsets.UTF_8);
        List<byte[]> names = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        int size = 1 + 2 + topic.length + 4 + (r.key() == null ? 0 : r.key().length) + 4 + r.value().length + 2;
        if (r.headers() != null) {
            for (Header h : r.headers()) {
                byte[] n = h.key().getBytes(StandardCharsets.UTF_8);
                byte[] v = h.value() == null ? new byte[0] : h.value();
                names.add(n);
                values.add(v);
                size += 2 + n.length + 4 + v.length;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(VERSION).putShort((short) topic.length).put(topic);
        if (r.key() == null) {
            b.putInt(-1);
        } else {
            b.putInt(r.key().length).put(r.key());
        }
        b.putInt(r.value().length).put(r.value());
        b.putShort((short) names.size());
        for (int i = 0; i < names.size(); i++) {
            b.putShort((short) names.get(i).length)
                    .put(names.get(i))
                    .putInt(values.get(i).length)
                    .put(values.get(i));
        }
        return b.array();
    }

    static ProducerRecord<byte[], byte[]> decode(byte[] entry) {
        ByteBuffer b = ByteBuffer.wrap(entry);
        byte v = b.get();
        if (v != VERSION) {
            throw new IllegalArgumentException("unknown spool entry version " + v);
        }
        String topic = new String(bytes(b, b.getShort()), StandardCharsets.UTF_8);
        int kl = b.getInt();
        byte[] key = kl < 0 ? null : bytes(b, kl);
        byte[] value = bytes(b, b.getInt());
        int hn = b.getShort();
        RecordHeaders headers = hn == 0 ? null : new RecordHeaders();
        for (int i = 0; i < hn; i++) {
            String name = new String(bytes(b, b.getShort()), StandardCharsets.UTF_8);
            headers.add(name, bytes(b, b.getInt()));
        }
        return new ProducerRecord<>(topic, null, null, key, value, headers);
    }

    private static byte[] bytes(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }
}
