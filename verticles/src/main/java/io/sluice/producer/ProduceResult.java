package io.sluice.producer;

import java.util.Objects;

/**
 * One event's outcome in a {@link ProduceBatchReply}: the same classes and texts as the answers of
 * {@code sluice.produce}.
 *
 * @param answer    the answer class
 * @param topic     for {@code accepted}: where it was written; else null
 * @param partition for {@code accepted}; else -1
 * @param offset    for {@code accepted}; else -1
 * @param error     for a failure, the message a single request would fail with: {@code "<label>: <detail>"}
 *                  (e.g. {@code "invalid: missing-field code: code is required"}); else null
 */
public record ProduceResult(ProduceAnswer answer, String topic, int partition, long offset, String error) {

    public ProduceResult {
        Objects.requireNonNull(answer, "answer");
        if (answer == ProduceAnswer.ACCEPTED ? topic == null : error == null) {
            throw new IllegalArgumentException(answer == ProduceAnswer.ACCEPTED ? "an accepted result needs its topic"
                    : "a failure needs its message");
        }
    }

    public static ProduceResult accepted(String topic, int partition, long offset) {
        return new ProduceResult(ProduceAnswer.ACCEPTED, topic, partition, offset, null);
    }

    /** A failure; the message is {@code answer.label() + ": " + detail}. */
    public static ProduceResult failed(ProduceAnswer answer, String detail) {
        if (answer == ProduceAnswer.ACCEPTED) {
            throw new IllegalArgumentException("a failure cannot be 'accepted'");
        }
        return new ProduceResult(answer, null, -1, -1, answer.label() + ": " + detail);
    }

    public boolean isAccepted() {
        return answer == ProduceAnswer.ACCEPTED;
    }
}
