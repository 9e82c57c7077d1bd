package io.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class RequestBodyTest {
    private static final Set<String> RATE = Set.of("messagesPerSecond", "bytesPerSecond");

    private static RequestBody parse(String s, boolean requireOne) {
        return RequestBody.parse(s == null ? null : Buffer.buffer(s), RATE, requireOne);
    }

    @Test
    void readsNumbersInRange() {
        RequestBody b = parse("{\"messagesPerSecond\":500}", true);
        assertThat(b.number("messagesPerSecond", 0, 0, 1000)).isEqualTo(500);
        assertThat(b.number("bytesPerSecond", 7, 0, 1000))
                .as("absent → default")
                .isEqualTo(7);
    }

    @Test
    void outOfRangeNamesTheFieldAndTheRange() {
        RequestBody b = parse("{\"messagesPerSecond\":-1}", true);
        assertThatThrownBy(() -> b.number("messagesPerSecond", 0, 0, 1000))
                .isInstanceOfSatisfying(BadRequest.class, e -> {
                    assertThat(e.field()).isEqualTo("messagesPerSecond");
                    assertThat(e.getMessage())
                            .isEqualTo("messagesPerSecond: must be a number between 0 and 1000, got -1");
                });
    }

    @Test
    void wrongTypeIsRejected() {
        RequestBody b = parse("{\"messagesPerSecond\":\"fast\"}", true);
        assertThatThrownBy(() -> b.number("messagesPerSecond", 0, 0, 1000)).hasMessageContaining("got \"fast\"");
        RequestBody c = RequestBody.parse(Buffer.buffer("{\"n\":1.5}"), Set.of("n"), true);
        assertThatThrownBy(() -> c.integer("n", 0, 0, 10))
                .hasMessage("n: must be a whole number between 0 and 10, got 1.5");
        assertThat(RequestBody.parse(Buffer.buffer("{\"n\":2.0}"), Set.of("n"), true)
                        .integer("n", 0, 0, 10))
                .isEqualTo(2);
    }

    @Test
    void unknownFieldsAreRejected() {
        assertThatThrownBy(() -> parse("{\"messagesPerSec\":5}", true))
                .isInstanceOfSatisfying(
                        BadRequest.class, e -> assertThat(e.field()).isEqualTo("messagesPerSec"))
                .hasMessageContaining("allowed: bytesPerSecond, messagesPerSecond");
    }

    @Test
    void invalidJsonOrNotAnObjectIsRejected() {
        assertThatThrownBy(() -> parse("{not json", true)).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> parse("[1,2]", true)).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> parse("42", true)).hasMessageContaining("must be a JSON object");
    }

    @Test
    void emptyBodyIsOnlyAcceptedWhenNothingIsRequired() {
        assertThatThrownBy(() -> parse("", true))
                .hasMessageContaining("at least one of bytesPerSecond, messagesPerSecond");
        assertThatThrownBy(() -> parse("{}", true)).hasMessageContaining("at least one of");
        assertThat(parse(null, false).has("messagesPerSecond")).isFalse();
    }
}
