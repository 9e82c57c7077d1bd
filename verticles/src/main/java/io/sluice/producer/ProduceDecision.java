package io.sluice.producer;

import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What {@link EventIntake#decide} made of one event. */
public sealed interface ProduceDecision
        permits ProduceDecision.Send, ProduceDecision.ToSpool, ProduceDecision.Refuse, ProduceDecision.Reject {

    /**
     * Send {@code record} after {@code waitNanos} (0 = now). Its token-bucket share and its in-flight share are
     * taken; the caller must {@link EventIntake#release} the latter once the record is acknowledged or failed.
     */
    record Send(ProducerRecord<byte[], byte[]> record, long waitNanos) implements ProduceDecision {
        public Send {
            Objects.requireNonNull(record, "record");
        }
    }

    /**
     * The in-flight bound is full and a spool is configured: {@code record} goes to the spool (its token-bucket
     * share is taken, no in-flight share).
     */
    record ToSpool(ProducerRecord<byte[], byte[]> record) implements ProduceDecision {
        public ToSpool {
            Objects.requireNonNull(record, "record");
        }
    }

    /** Not sent, nothing taken: {@code answer} is {@link ProduceAnswer#OVERLOADED} or {@link ProduceAnswer#RATE_LIMITED}. */
    record Refuse(ProduceAnswer answer, String detail) implements ProduceDecision {
        public Refuse {
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * Invalid: {@code raw} (its bytes as received, cut to 4 x maxEventBytes) goes to the producer DLQ with
     * {@code invalid}'s reason. Its in-flight share is taken; the caller must {@link EventIntake#releaseRejected}
     * it once the DLQ send completed.
     */
    record Reject(byte[] raw, ValidationResult.Invalid invalid) implements ProduceDecision {
        public Reject {
            Objects.requireNonNull(raw, "raw");
            Objects.requireNonNull(invalid, "invalid");
        }
    }
}
