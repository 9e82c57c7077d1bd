package io.sluice.ops.redrive;

import io.sluice.dispatch.DeadLetterWriter;
import io.sluice.dispatch.RedriveAttempts;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The record a redrive produces from a DLQ record. Pure.
 * <ul>
 *   <li>to the target topic: key, value and the record's own headers as they were before it was dead-lettered
 *   (the DLQ's {@code sluice-source-*}/{@code sluice-error-*} headers and any earlier {@code sluice-redrive-*} ones
 *   removed), plus {@code sluice-redrive-id} (this run), {@code sluice-redrive-attempt} (its attempt + 1) and
 *   {@code sluice-redrive-from} (the DLQ record); partitioned by key as any producer does;</li>
 *   <li>to the parking topic: the DLQ record as it is, plus {@code sluice-parked}.</li>
 * </ul>
 */
final class RedriveRecords {
    private static final Set<String> REDRIVE_HEADERS =
            Set.of(RedriveAttempts.H_REDRIVE_ID, RedriveAttempts.H_REDRIVE_ATTEMPT, RedriveAttempts.H_REDRIVE_FROM);

    private RedriveRecords() {}

    static ProducerRecord<byte[], byte[]> redrive(
            ConsumerRecord<byte[], byte[]> r, DeadLetter d, String target, String runId) {
        RecordHeaders h = new RecordHeaders();
        for (Header x : r.headers()) {
            if (!DeadLetterWriter.DLQ_HEADERS.contains(x.key()) && !REDRIVE_HEADERS.contains(x.key())) {
                h.add(x.key(), x.value());
            }
        }
        h.add(RedriveAttempts.H_REDRIVE_ID, utf8(runId));
        h.add(RedriveAttempts.H_REDRIVE_ATTEMPT, RedriveAttempts.header(d.redriveAttempt() + 1));
        h.add(RedriveAttempts.H_REDRIVE_FROM, utf8(d.coordinates()));
        return new ProducerRecord<>(target, null, null, r.key(), r.value(), h);
    }

    static ProducerRecord<byte[], byte[]> park(
            ConsumerRecord<byte[], byte[]> r, DeadLetter d, String parkingTopic, int maxAttempts) {
        RecordHeaders h = new RecordHeaders(r.headers().toArray());
        h.remove(RedriveAttempts.H_PARKED);
        h.remove(RedriveAttempts.H_REDRIVE_FROM);
        h.add(
                RedriveAttempts.H_PARKED,
                utf8("redrive attempt " + d.redriveAttempt() + " reached redrive.maxAttempts " + maxAttempts
                        + "; not redriven"));
        h.add(RedriveAttempts.H_REDRIVE_FROM, utf8(d.coordinates()));
        return new ProducerRecord<>(parkingTopic, null, null, r.key(), r.value(), h);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
