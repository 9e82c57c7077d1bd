package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Issue 20 part 5: integers beyond a key's range, including beyond 64 bits, are refused, never wrapped. */
class CfgRangeTest {
    private static Cfg cfg(String json) {
        return new Cfg(new JsonObject(json), "batch");
    }

    @Test
    void aNumberBeyond64BitsIsRefusedNotWrapped() {
        // 2^64 + 500: wraps to 500 with longValue()
        assertThatThrownBy(() -> cfg("{\"maxRecords\":18446744073709552116}").intIn("maxRecords", 1, 1, 100_000))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("batch.maxRecords:")
                .hasMessageContaining("18446744073709552116");
    }

    @Test
    void aLongBeyondAnIntKeysRangeIsRefused() {
        assertThatThrownBy(() -> cfg("{\"n\":4294967796}").intIn("n", 1, 1, Integer.MAX_VALUE))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("batch.n:");
    }

    @Test
    void hugeStringsAndDoublesAreRefusedWithTheKey() {
        assertThatThrownBy(() -> cfg("{\"n\":\"18446744073709552116\"}").longIn("n", 1, 1, 10))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("batch.n:");
        assertThatThrownBy(() -> cfg("{\"n\":1e300}").longIn("n", 1, 1, Long.MAX_VALUE))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("batch.n:");
        assertThatThrownBy(() -> cfg("{\"n\":-18446744073709552116}").longIn("n", 1, Long.MIN_VALUE, Long.MAX_VALUE))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("batch.n:");
    }

    @Test
    void valuesInRangeStillRead() {
        assertThat(cfg("{\"n\":500}").intIn("n", 1, 1, 100_000)).isEqualTo(500);
        assertThat(cfg("{\"n\":\"42\"}").longIn("n", 1, 1, 100)).isEqualTo(42);
        assertThat(cfg("{\"n\":9223372036854775807}").longIn("n", 1, 1, Long.MAX_VALUE))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(cfg("{\"n\":2.0}").intIn("n", 1, 1, 5)).isEqualTo(2);
    }
}
