package io.sluice.ingest;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Objects;

/**
 * What {@link EventBodyParser} made of a request body: the events, each as the exact bytes the client
 * sent, or a refusal of the whole request (nothing of it is sent).
 */
public sealed interface ParsedBody permits ParsedBody.Events, ParsedBody.Refused {

    /**
     * The body's events, in body order.
     *
     * @param events  each event's JSON object bytes
     * @param eventIds each event's top-level {@code eventId} when it is a string, else {@code null} (for answers only)
     */
    record Events(List<Buffer> events, List<String> eventIds) implements ParsedBody {
        public Events {
            events = List.copyOf(events);
            eventIds = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(eventIds));
            if (events.size() != eventIds.size()) {
                throw new IllegalArgumentException("one eventId slot per event");
            }
        }

        public int size() {
            return events.size();
        }
    }

    /**
     * The whole request is refused.
     *
     * @param status  HTTP status: 400 (bad body), 413 (too many events), 415 (content type)
     * @param field   what is wrong: {@code Content-Type}, {@code body}, {@code body[3]} (array element) or
     *                {@code line 4} (NDJSON line)
     * @param message one line, starting with {@code field}
     */
    record Refused(int status, String field, String message) implements ParsedBody {
        public Refused {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(message, "message");
        }
    }
}
