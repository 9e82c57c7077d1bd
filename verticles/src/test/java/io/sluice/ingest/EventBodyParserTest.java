package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventBodyParserTest {
    private final EventBodyParser parser = new EventBodyParser(3);

    private static Buffer b(String s) {
        return Buffer.buffer(s);
    }

    private ParsedBody.Events events(String contentType, String body) {
        ParsedBody p = parser.parse(contentType, b(body));
        assertThat(p).as("%s", p).isInstanceOf(ParsedBody.Events.class);
        return (ParsedBody.Events) p;
    }

    private ParsedBody.Refused refused(String contentType, String body) {
        ParsedBody p = parser.parse(contentType, body == null ? null : b(body));
        assertThat(p).as("%s", p).isInstanceOf(ParsedBody.Refused.class);
        return (ParsedBody.Refused) p;
    }

    @Test
    void singleObjectIsOneEventWithItsExactBytes() {
        String body = " {\"eventId\":\"a\",\"code\":300,\"nested\":{\"eventId\":\"inner\",\"x\":[1,{\"y\":2}]}}\n";
        ParsedBody.Events e = events("application/json", body);
        assertThat(e.size()).isEqualTo(1);
        assertThat(new JsonObject(e.events().get(0)).getString("eventId")).isEqualTo("a");
        assertThat(e.eventIds()).containsExactly("a");
    }

    @Test
    void arrayElementsAreSlicedExactly() {
        String body =
                "[ {\"eventId\":\"a\",\"code\":1} ,{\"code\":2,\"eventId\":\"b\",\"s\":\"]}\\\"\"},\n{\"eventId\":7}]";
        ParsedBody.Events e = events("application/json; charset=UTF-8", body);
        assertThat(e.events())
                .extracting(Buffer::toString)
                .containsExactly(
                        "{\"eventId\":\"a\",\"code\":1}",
                        "{\"code\":2,\"eventId\":\"b\",\"s\":\"]}\\\"\"}",
                        "{\"eventId\":7}");
        assertThat(e.eventIds()).containsExactly("a", "b", null);
    }

    @Test
    void multiByteUtf8KeepsSlicesAligned() {
        String body = "[{\"eventId\":\"é€😀\",\"n\":\"ção\"},{\"eventId\":\"z\"}]";
        ParsedBody.Events e = events("application/json", body);
        assertThat(e.events().get(0).toString()).isEqualTo("{\"eventId\":\"é€😀\",\"n\":\"ção\"}");
        assertThat(e.events().get(1).toString()).isEqualTo("{\"eventId\":\"z\"}");
        assertThat(e.eventIds()).containsExactly("é€😀", "z");
    }

    @Test
    void ndjsonLinesWithCrLfAndBlankLines() {
        String body = "{\"eventId\":\"a\"}\r\n\n  {\"eventId\":\"b\",\"v\":[1,2]}  \n{\"eventId\":\"c\"}";
        ParsedBody.Events e = events("application/x-ndjson", body);
        assertThat(e.events())
                .extracting(Buffer::toString)
                .containsExactly("{\"eventId\":\"a\"}", "{\"eventId\":\"b\",\"v\":[1,2]}", "{\"eventId\":\"c\"}");
        assertThat(events("application/ndjson", "{}\n").size()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "application/json|{\"a\":1|body",
                "application/json|{\"a\":01}|body",
                "application/json|{\"a\":\"\\q\"}|body",
                "application/json|[{\"a\":1},]|body",
                "application/json|[{\"a\":1}, 5]|body[1]",
                "application/json|[[]]|body[0]",
                "application/json|\"text\"|body",
                "application/json|42|body",
                "application/json|[]|body",
                "application/json|{\"a\":1}{\"b\":2}|body",
                "application/json|{\"a\":1} x|body",
                "application/x-ndjson|{\"a\":1}~{\"a\":2|line 2",
                "application/x-ndjson|{\"a\":1}~~[1]|line 3",
                "application/x-ndjson|{\"a\":1} {\"b\":2}|line 1",
                "application/x-ndjson|~ ~|body",
            })
    void malformedBodiesAreRefusedWith400NamingTheField(String contentType, String body, String field) {
        ParsedBody.Refused r = refused(contentType, body.replace("~", "\n"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.field()).isEqualTo(field);
        assertThat(r.message()).startsWith(field + ":");
    }

    @Test
    void emptyBodyIs400() {
        assertThat(refused("application/json", "").status()).isEqualTo(400);
        assertThat(refused("application/json", null).message()).contains("empty");
        assertThat(refused("application/x-ndjson", "  \n").status()).isEqualTo(400);
    }

    @ParameterizedTest
    @CsvSource(value = {"text/plain", "application/xml", "application/json; charset=ISO-8859-1", "multipart/form-data"})
    void wrongContentTypeIs415(String contentType) {
        ParsedBody.Refused r = refused(contentType, "{\"a\":1}");
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.field()).isEqualTo("Content-Type");
    }

    @Test
    void missingContentTypeIs415() {
        assertThat(refused(null, "{}").status()).isEqualTo(415);
        assertThat(refused("  ", "{}").status()).isEqualTo(415);
    }

    @Test
    void tooManyEventsIs413() {
        assertThat(events("application/json", "[{},{},{}]").size()).isEqualTo(3);
        assertThat(refused("application/json", "[{},{},{},{}]").status()).isEqualTo(413);
        assertThat(refused("application/x-ndjson", "{}\n{}\n{}\n{}\n").status()).isEqualTo(413);
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThat(refused("application/json", deep).status()).isEqualTo(400);
    }
}
