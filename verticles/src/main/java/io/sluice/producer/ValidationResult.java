package io.sluice.producer;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The outcome of {@link EventValidator#validate}: {@link Valid} with the fields the producer routes and
 * keys on, or {@link Invalid} with a stable reason.
 *
 * <p>Reasons are lower-case and dashed, and stable: they become DLQ headers and API answers.
 * <ul>
 *   <li>{@value #NOT_JSON_OBJECT}: the bytes are not JSON, or the JSON is not an object;</li>
 *   <li>{@value #TOO_LARGE}: the serialized event is over {@code maxEventBytes};</li>
 *   <li>{@value #MISSING_FIELD}: a required field is absent or null ({@code field} names it);</li>
 *   <li>{@value #WRONG_TYPE}: a field has the wrong type or range ({@code field} names it);</li>
 *   <li>{@value #UNKNOWN_CODE}: no routing rule and no default topic for the code (decided by the
 *       producer with {@link TopicRouter#route(int)}, see {@link Invalid#unknownCode(int)}).</li>
 * </ul>
 */
public sealed interface ValidationResult permits ValidationResult.Valid, ValidationResult.Invalid {

    /** The input is not JSON, or not a JSON object. */
    String NOT_JSON_OBJECT = "not-json-object";
    /** The serialized event is larger than the configured maximum. */
    String TOO_LARGE = "too-large";
    /** A required field is absent or null. */
    String MISSING_FIELD = "missing-field";
    /** A field has the wrong JSON type or is out of range. */
    String WRONG_TYPE = "wrong-type";
    /** No topic for the event's code. */
    String UNKNOWN_CODE = "unknown-code";

    /** Whether this is {@link Valid}. */
    default boolean isValid() {
        return this instanceof Valid;
    }

    /**
     * A valid event.
     *
     * @param event   the event object (the parsed one, for {@link EventValidator#validate(io.vertx.core.buffer.Buffer)});
     *                {@code null} from {@link EventValidator#scan(io.vertx.core.buffer.Buffer)}, which does not build it
     * @param code    its business code, ≥ 0
     * @param truckId its truck id, non-blank
     */
    record Valid(JsonObject event, int code, String truckId) implements ValidationResult {
        /** Checks that the truck id is not null. */
        public Valid {
            Objects.requireNonNull(truckId, "truckId");
        }
    }

    /**
     * A rejected event.
     *
     * @param reason  stable lower-case dashed reason, one of the constants of {@link ValidationResult}
     * @param field   the offending field, or {@code null} when the problem is the whole event
     * @param message a human-readable one-line explanation (never echoes large values)
     */
    record Invalid(String reason, String field, String message) implements ValidationResult {
        /** Checks that reason and message are present. */
        public Invalid {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        /** The {@value ValidationResult#UNKNOWN_CODE} rejection for a code no rule routes. */
        public static Invalid unknownCode(int code) {
            return new Invalid(UNKNOWN_CODE, "code", "no topic is configured for code " + code);
        }
    }
}
