package io.sluice.ingest;

import io.sluice.producer.ProduceAnswer;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One event's outcome in an ingest answer.
 *
 * @param index     position of the event in the request body (0-based)
 * @param eventId   its {@code eventId} when the body had one as a string, else {@code null}
 * @param answer    the producer's answer class
 * @param error     for a failure, the producer's message (e.g. {@code invalid: wrong-type code: ...}); else null
 * @param topic     for {@code accepted}: where it was written
 * @param partition for {@code accepted}
 * @param offset    for {@code accepted}
 */
public record EventResult(
        int index, String eventId, ProduceAnswer answer, String error, String topic, int partition, long offset) {

    public EventResult {
        Objects.requireNonNull(answer, "answer");
    }

    public static EventResult accepted(int index, String eventId, String topic, int partition, long offset) {
        return new EventResult(index, eventId, ProduceAnswer.ACCEPTED, null, topic, partition, offset);
    }

    /** Durably in the producer's spool, bound for {@code topic}. */
    public static EventResult spooled(int index, String eventId, String topic) {
        return new EventResult(index, eventId, ProduceAnswer.SPOOLED, null, topic, -1, -1);
    }

    public static EventResult failed(int index, String eventId, ProduceAnswer answer, String error) {
        if (answer.isSuccess()) {
            throw new IllegalArgumentException("a failure cannot be '" + answer.label() + "'");
        }
        return new EventResult(index, eventId, answer, Objects.requireNonNull(error, "error"), null, -1, -1);
    }

    /**
     * Maps an event-bus failure of {@code sluice.produce} to its answer class: the message starts with
     * the class label ({@code "rate-limited: ..."}); an unknown label is classified by its failure code.
     */
    public static ProduceAnswer classify(int failureCode, String message) {
        if (message != null) {
            int colon = message.indexOf(':');
            String label = colon < 0 ? message : message.substring(0, colon);
            for (ProduceAnswer a : ProduceAnswer.values()) {
                if (!a.isSuccess() && a.label().equals(label)) {
                    return a;
                }
            }
        }
        return switch (failureCode) {
            case 400 -> ProduceAnswer.INVALID;
            case 429 -> ProduceAnswer.RATE_LIMITED;
            default -> ProduceAnswer.UNAVAILABLE;
        };
    }

    public boolean isAccepted() {
        return answer == ProduceAnswer.ACCEPTED;
    }

    /** {@code accepted} or {@code spooled}. */
    public boolean isSuccess() {
        return answer.isSuccess();
    }

    public JsonObject toJson() {
        JsonObject j = new JsonObject().put("index", index);
        if (eventId != null) {
            j.put("eventId", eventId);
        }
        j.put("status", answer.label());
        if (isAccepted()) {
            j.put("topic", topic).put("partition", partition).put("offset", offset);
        } else if (isSuccess()) {
            j.put("topic", topic);
        } else {
            j.put("error", error);
        }
        return j;
    }
}
