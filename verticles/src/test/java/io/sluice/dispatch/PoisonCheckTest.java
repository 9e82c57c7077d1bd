package io.sluice.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PoisonCheckTest {

    private static String problem(String json) {
        return PoisonCheck.problem(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wellFormedObjectsPassWhetherPlainOrNot() {
        assertThat(problem("{\"eventId\":\"e1\",\"code\":3,\"truckId\":\"T-9\"}"))
                .isNull();
        assertThat(problem("{\"note\":\"line\\nbreak \\u00e9\",\"city\":\"São Paulo\"}"))
                .as("escapes, UTF-8: the parser")
                .isNull();
        assertThat(problem(" {\"a\":[1,{\"b\":null}]}\n")).isNull();
    }

    @Test
    void everythingElseIsNamed() {
        assertThat(PoisonCheck.problem(new byte[0])).isEqualTo("empty value");
        assertThat(PoisonCheck.problem(null)).isEqualTo("empty value");
        assertThat(problem("[1,2]")).isEqualTo("value is not a JSON object");
        assertThat(problem("{\"a\":1} {\"b\":2}")).isEqualTo("trailing content after the JSON object");
        assertThat(problem("{\"a\":")).startsWith("value is not valid JSON: ");
        assertThat(problem("{\"a\":01}")).startsWith("value is not valid JSON: ");
        assertThat(problem("not json")).startsWith("value is not valid JSON: ");
    }
}
