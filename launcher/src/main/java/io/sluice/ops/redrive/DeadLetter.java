package io.sluice.ops.redrive;

import io.sluice.dispatch.DeadLetterWriter;
import io.sluice.dispatch.RedriveAttempts;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One DLQ record as redrive sees it: where it is, when it was dead-lettered, and what its {@code sluice-*} headers
 * say (source topic/partition/offset, error class, redrive attempt). Missing or unreadable headers are null
 * (attempt 0). Pure.
 */
record DeadLetter(
        String dlqTopic,
        int dlqPartition,
        long dlqOffset,
        long timestampMs,
        String sourceTopic,
        Integer sourcePartition,
        Long sourceOffset,
        String errorClass,
        int redriveAttempt) {

    static DeadLetter of(ConsumerRecord<byte[], byte[]> r) {
        return new DeadLetter(
                r.topic(),
                r.partition(),
                r.offset(),
                r.timestamp(),
                text(r, DeadLetterWriter.H_SOURCE_TOPIC),
                integer(text(r, DeadLetterWriter.H_SOURCE_PARTITION)),
                number(text(r, DeadLetterWriter.H_SOURCE_OFFSET)),
                text(r, DeadLetterWriter.H_ERROR_CLASS),
                RedriveAttempts.attemptOf(value(r, RedriveAttempts.H_REDRIVE_ATTEMPT)));
    }

    /** {@code topic-partition@offset} of this DLQ record (the {@code sluice-redrive-from} header). */
    String coordinates() {
        return dlqTopic + "-" + dlqPartition + "@" + dlqOffset;
    }

    private static byte[] value(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : h.value();
    }

    private static String text(ConsumerRecord<byte[], byte[]> r, String name) {
        byte[] v = value(r, name);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    private static Integer integer(String s) {
        Long n = number(s);
        return n == null || n > Integer.MAX_VALUE ? null : n.intValue();
    }

    private static Long number(String s) {
        if (s == null) {
            return null;
        }
        try {
            long n = Long.parseLong(s.trim());
            return n < 0 ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
