package io.sluice.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AsciiJsonScannerTest {

    private static boolean ordinary(int b) {
        return b >= 0x20 && b <= 0x7e && b != '"' && b != '\\';
    }

    @Test
    void aWordIsPlainExactlyWhenEachOfItsEightBytesIsAnOrdinaryStringCharacter() {
        for (int b = 0; b < 256; b++) {
            for (int pos = 0; pos < 8; pos++) {
                for (long filler :
                        new long[] {'a', ' ', '~', '!', '#', '[', ']', '0'}) { // neighbours of the special bytes
                    long w = 0;
                    for (int k = 0; k < 8; k++) {
                        w |= (k == pos ? b : filler) << (8 * k);
                    }
                    assertThat(AsciiJsonScanner.plain(w))
                            .as("byte 0x%02x at %d among 0x%02x", b, pos, filler)
                            .isEqualTo(ordinary(b));
                }
            }
        }
    }

    @Test
    void stringsOfEveryLengthEndAtTheirQuoteOrAreRefusedAtTheirBadByte() {
        for (int len = 0; len < 40; len++) {
            String text = "x".repeat(len);
            Object[] out = new Object[4];
            assertThat(AsciiJsonScanner.scan(utf8("{\"truckId\":\"" + text + "\",\"code\":1}"), out))
                    .isTrue();
            assertThat(out[AsciiJsonScanner.TRUCK_ID]).isEqualTo(text);
            assertThat(out[AsciiJsonScanner.CODE]).isEqualTo(1L);
            for (int at = 0; at < len; at++) {
                for (String bad : new String[] {"\\", "\t", "\u007f", "é"}) {
                    String spoiled = text.substring(0, at) + bad + text.substring(at + 1);
                    assertThat(AsciiJsonScanner.scan(utf8("{\"pad\":\"" + spoiled + "\",\"code\":1}"), new Object[4]))
                            .as("%s at %d of %d", bad, at, len)
                            .isFalse();
                }
            }
            assertThat(AsciiJsonScanner.scan(utf8("{\"pad\":\"" + text), new Object[4]))
                    .as("unterminated, %d", len)
                    .isFalse();
        }
    }

    @Test
    void checkedIntegersKeepTheirValueUpToEighteenCharactersAndLeaveTheRestToTheDecoder() {
        Object[] out = new Object[4];
        assertThat(AsciiJsonScanner.scan(utf8("{\"timestamp\":999999999999999999,\"code\":-0}"), out))
                .isTrue();
        assertThat(out[AsciiJsonScanner.TIMESTAMP]).isEqualTo(999_999_999_999_999_999L);
        assertThat(out[AsciiJsonScanner.CODE]).isEqualTo(0L);
        assertThat(AsciiJsonScanner.scan(utf8("{\"timestamp\":-99999999999999999}"), out))
                .isTrue();
        assertThat(out[AsciiJsonScanner.TIMESTAMP]).isEqualTo(-99_999_999_999_999_999L);
        for (String irregular :
                new String[] {"1000000000000000000", "-999999999999999999", "01", "-", "1.0", "1e3", "1E3"}) {
            assertThat(AsciiJsonScanner.scan(utf8("{\"code\":" + irregular + "}"), new Object[4]))
                    .as(irregular)
                    .isFalse();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void plainObjectsAreVouchedForAndEverythingElseIsLeftToTheParser() {
        for (String ok : new String[] {
            "{}",
            " {\"a\":1} ",
            "{\"a\":[1,2.5e3,-0,true,false,null,{\"b\":\"x y\"}],\"c\":{}}",
            "{\"eventId\":\"e-1\",\"code\":7,\"truckId\":\"T1\",\"timestamp\":1700000000000}"
        }) {
            assertThat(AsciiJsonScanner.isPlainObject(utf8(ok))).as(ok).isTrue();
        }
        for (String no : new String[] {
            "",
            "[]",
            "1",
            "\"s\"",
            "{",
            "{\"a\":}",
            "{\"a\":1,}",
            "{\"a\":1}x",
            "{\"a\":1}{}",
            "{\"a\":01}",
            "{\"a\":\"\\n\"}",
            "{\"a\":\"é\"}",
            "{'a':1}",
            "{\"a\":tru}",
            "{\"a\":1 /* c */}",
            "{\"a\":[1,2}",
            "{\"a\" 1}"
        }) {
            assertThat(AsciiJsonScanner.isPlainObject(utf8(no))).as(no).isFalse();
        }
        assertThat(AsciiJsonScanner.isPlainObject(utf8("{\"a\":" + "[".repeat(300) + "]".repeat(300) + "}")))
                .as("deeper than the bound")
                .isFalse();
    }
}
