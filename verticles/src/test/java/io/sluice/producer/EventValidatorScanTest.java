package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.producer.ValidationResult.Valid;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link EventValidator#scan} (streaming, no event object) must decide exactly as {@link EventValidator#validate(Buffer)}:
 * same validity, same code and truck id, same rejection reason, field and message.
 */
class EventValidatorScanTest {
    private final EventValidator validator = EventValidator.fromJson(new JsonObject(), "producer.validation");
    private final EventValidator relaxed = EventValidator.fromJson(
            new JsonObject()
                    .put("requireEventId", false)
                    .put("requireTimestamp", false)
                    .put("maxEventBytes", 300),
            "v");

    private static final String EVENT =
            "{\"eventId\":\"run-1\",\"code\":301,\"truckId\":\"T-00042\",\"timestamp\":1700000000000,"
                    + "\"speedKmh\":80.5,\"pos\":{\"lat\":-23.5,\"lon\":-46.6,\"code\":\"nested\"},\"tags\":[\"a\",{\"truckId\":1}],\"ok\":true,\"n\":null}";

    private void assertSame(EventValidator v, byte[] bytes) {
        ValidationResult full = v.validate(Buffer.buffer(bytes));
        ValidationResult scanned = v.scan(bytes);
        String input = new String(bytes, StandardCharsets.UTF_8);
        if (full instanceof Valid f) {
            assertThat(scanned).as(input).isInstanceOf(Valid.class);
            assertThat(((Valid) scanned).code()).as(input).isEqualTo(f.code());
            assertThat(((Valid) scanned).truckId()).as(input).isEqualTo(f.truckId());
        } else {
            assertThat(scanned).as(input).isEqualTo(full);
        }
        assertThat(v.scan(Buffer.buffer(bytes)))
                .as(input)
                .usingRecursiveComparison()
                .ignoringFields("event")
                .isEqualTo(scanned);
    }

    private void assertSame(String s) {
        assertSame(validator, s.getBytes(StandardCharsets.UTF_8));
        assertSame(relaxed, s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aValidEventGivesItsCodeAndTruckWithoutTheObject() {
        ValidationResult r = validator.scan(EVENT.getBytes(StandardCharsets.UTF_8));
        assertThat(r).isEqualTo(new Valid(null, 301, "T-00042"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "not json",
                "{\"code\":",
                "[1,2]",
                "42",
                "\"text\"",
                "null",
                "{\"code\":1} trailing",
                "{\"code\":301,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1} {}",
                "{\"code\":301,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1}]",
                "{\"code\":301,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1} // comment",
                "/* c */ {\"code\":301,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1}",
                "{\"code\":301,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":\"bad \\q escape\"}",
                "{\"code\":301,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":\"\\ud800\"}",
                "{\"code\":301,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":01}",
                "{\"code\":301,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":NaN}",
                "{\"code\":301,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":1e999}",
                "{\"code\":301,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,'x':1}",
                "{\"code\":301,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,}",
                "{\"code\":301,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"code\":\"dup\"}",
                "{\"code\":\"dup\",\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"code\":302}",
                "{\"code\":301,\"truckId\":\"T\",\"truckId\":\" \",\"eventId\":\"e\",\"timestamp\":1}",
                "{\"code\":301.0,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1}",
                "{\"code\":2147483648,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1}",
                "{\"code\":2147483647,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":9223372036854775807}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":99999999999999999999999}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":-1}",
                "{\"code\":-0,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":0}",
                "{\"code\":null,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1}",
                "{\"code\":{},\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1}",
                "{\"code\":[301],\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1}",
                "{\"code\":true,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1}",
                "{\"code\":1,\"truckId\":\"T\\u0041\",\"eventId\":\"e\",\"timestamp\":1}",
                "{\"code\":1,\"truckId\":\"\\u0020\",\"eventId\":\"e\",\"timestamp\":1}",
                "{\"code\":1,\"truckId\":\"T\"}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\"}",
                "{\"nested\":{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1}}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"deep\":[[[[{\"a\":[1,2,{\"b\":null}]}]]]]}",
                " \t\r\n{ \"code\" : 1 , \"truckId\" : \"T\" , \"eventId\" : \"e\" , \"timestamp\" : 1 } \n\t ",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1}\u000b",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":-}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":1.}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":.5}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":+1}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":1e}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":1e+}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":-01}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":-0.0E-0}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":truex}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":nul}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":[}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":[1,]}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":{\"a\"}}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":\"tab\tin string\"}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"x\":\"caf\u00e9\"}",
                "{\"code\":00,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1}",
                "{\"code\":1e2,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":123456789012345678}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1234567890123456789}",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1}{",
                "{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"\":\"\"}",
                "{}",
                "{\"a\":1}",
                "{\"code\":1 \"truckId\":\"T\"}"
            })
    void sameDecisionAsTheFullDecode(String body) {
        assertSame(body);
    }

    @Test
    void invalidUtf8AndOversizedInputsAreDecidedTheSame() {
        byte[] good = EVENT.getBytes(StandardCharsets.UTF_8);
        for (byte bad : new byte[] {(byte) 0xC3, (byte) 0xFF, (byte) 0x80, 0x01}) {
            for (int at : new int[] {2, 12, 40, good.length - 3}) {
                byte[] b = good.clone();
                b[at] = bad;
                assertSame(validator, b);
            }
        }
        assertSame(
                relaxed,
                ("{\"code\":1,\"truckId\":\"T\",\"pad\":\"" + "x".repeat(300) + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(validator.scan((byte[]) null)).isEqualTo(validator.validate((Buffer) null));
        String deep = "[".repeat(600) + "]".repeat(600);
        assertSame("{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"d\":" + deep + "}");
        assertSame("{\"code\":1,\"truckId\":\"T\",\"eventId\":\"e\",\"timestamp\":1,\"n\":" + "9".repeat(1200) + "}");
    }

    @Test
    void randomlyDamagedEventsAreDecidedTheSame() {
        SplittableRandom rnd = new SplittableRandom(7);
        String alphabet = "{}[]:,\"\\ 0123456789.-+eE truefalsnul/*codetruckIdeventIdtimestampT\u00e9\t\n\u0001";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder sb = new StringBuilder(EVENT);
            int edits = 1 + rnd.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = rnd.nextInt(sb.length());
                switch (rnd.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                    default -> sb.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
            }
            assertSame(sb.toString());
        }
    }
}
