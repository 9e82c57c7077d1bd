package io.sluice.producer;

import java.util.Objects;

/**
 * One event's outcome in a {@link ProduceBatchReply}: the same classes and texts as the answers of
 * {@code sluice.produce}.
 *
 * @param answer    the answer class
 * @param topic     for {@code accepted}: where it was written; for {@code spooled}: where it will be; else null
 * @param partition for {@code accepted}; else -1
 * @param offset    for {@code accepted}; else -1
 * @param error     for a failure, the message a single request would fail with: {@code "<label>: <detail>"}
 *                  (e.g. {@code "invalid: missing-field code: code is required"}); else null
 */
public record ProduceResult(ProduceAnswer answer, String topic, int partition, long offset, String error) {

    public ProduceResult {
        Objects.requireNonNull(answer, "answer");
        if (answer.isSuccess() ? topic == null : error == null) {
            throw new IllegalArgumentException(
                    answer.isSuccess()
                            ? "an accepted or spooled result needs its topic"
                            : "a failure needs its message");
        }
    }

    public static ProduceResult accepted(String topic, int partition, long offset) {
        return new ProduceResult(ProduceAnswer.ACCEPTED, topic, partition, offset, null);
    }

    /** Durably in the spool, bound for {@code topic} (no partition or offset yet). */
    public static ProduceResult spooled(String topic) {
        return new ProduceResult(ProduceAnswer.SPOOLED, topic, -1, -1, null);
    }

    /** A failure; the message is {@code answer.label() + ": " + detail}. */
    public static ProduceResult failed(ProduceAnswer answer, String detail) {
        if (answer.isSuccess()) {
            throw new IllegalArgumentException("a failure cannot be '" + answer.label() + "'");
        }
        return new ProduceResult(answer, null, -1, -1, answer.label() + ": " + detail);
    }

    /** Kafka acknowledged it (not {@code spooled}). */
    public boolean isAccepted() {
        return answer == ProduceAnswer.ACCEPTED;
    }

    /** {@code accepted} or {@code spooled}: durable. */
    public boolean isSuccess() {
        return answer.isSuccess();
    }
}
