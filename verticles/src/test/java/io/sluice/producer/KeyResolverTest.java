package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyResolverTest {

    private static KeyResolver resolver(String json) {
        return KeyResolver.fromJson(new JsonObject(json), "producer.keys");
    }

    @Test
    void strategiesBuildTheDocumentedKeys() {
        assertThat(resolver("{\"strategy\":\"code\"}").key(301, "T-00042")).isEqualTo("301");
        assertThat(resolver("{\"strategy\":\"truckId\"}").key(301, "T-00042")).isEqualTo("T-00042");
        assertThat(resolver("{\"strategy\":\"code:truckId\"}").key(301, "T-00042"))
                .isEqualTo("301:T-00042");
    }

    @Test
    void defaultStrategyIsCodeAndTruckId() {
        assertThat(resolver("{}").strategy()).isEqualTo(KeyStrategy.CODE_TRUCK_ID);
        assertThat(KeyResolver.fromJson(null, "producer.keys").key(300, "T-1")).isEqualTo("300:T-1");
    }

    @Test
    void codeStrategyDoesNotNeedATruckId() {
        assertThat(resolver("{\"strategy\":\"code\"}").key(7, null)).isEqualTo("7");
    }

    @Test
    void strategyFromConfigIsExactAndNamesTheAllowedValues() {
        assertThat(KeyStrategy.fromConfig("truckId", "p")).isEqualTo(KeyStrategy.TRUCK_ID);
        assertThatThrownBy(() -> KeyStrategy.fromConfig("foo", "producer.keys.strategy"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("producer.keys.strategy: must be one of code, truckId, code:truckId, got 'foo'");
        assertThatThrownBy(() -> KeyStrategy.fromConfig("TRUCKID", "x")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> KeyStrategy.fromConfig(null, "x")).hasMessageContaining("got nothing");
        assertThatThrownBy(() -> resolver("{\"strategy\":\"bogus\"}"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("producer.keys.strategy"));
    }

    @Test
    void hotCodeGetsAStableSubKeyWhateverTheStrategy() {
        KeyResolver resolver = resolver("{\"strategy\":\"code\",\"hotCodes\":{\"400\":8}}");

        String key = resolver.key(400, "T-00042");
        assertThat(key).matches("400#[0-7]");
        assertThat(key).isEqualTo("400#" + KeyResolver.subKeyIndex("T-00042", 8));
        assertThat(resolver.key(400, "T-00042")).isEqualTo(key); // same truck, same sub-key
        assertThat(resolver.key(301, "T-00042")).isEqualTo("301"); // not hot: strategy applies
        assertThat(resolver.hotCodes()).containsExactly(Map.entry(400, 8));
    }

    @Test
    void hotCodeSubKeysSpreadEvenlyOverTrucks() {
        KeyResolver resolver = resolver("{\"hotCodes\":{\"400\":8}}");
        Map<String, Integer> counts = new HashMap<>();
        for (int t = 1; t <= 8000; t++) {
            counts.merge(resolver.key(400, String.format("T-%05d", t)), 1, Integer::sum);
        }

        assertThat(counts).hasSize(8);
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(850, 1150)); // 1000 ± 15%
    }

    @Test
    void stableHashIsMurmur3x86With32BitsSeedZero() {
        // Reference values of MurmurHash3_x86_32, seed 0 (as in Guava's murmur3_32_fixed and mmh3).
        assertThat(KeyResolver.stableHash("")).isEqualTo(0);
        assertThat(KeyResolver.stableHash("hello")).isEqualTo(0x248bfa47);
        assertThat(KeyResolver.stableHash("The quick brown fox jumps over the lazy dog"))
                .isEqualTo(0x2e4ff723);
    }

    @Test
    void stableHashCoversEveryTailLengthAndUtf8() {
        Set<Integer> hashes = new HashSet<>();
        for (String s : new String[] {"a", "ab", "abc", "abcd", "abcde", "ção", "caminhão"}) {
            hashes.add(KeyResolver.stableHash(s));
        }
        assertThat(hashes).hasSize(7);
        assertThat(KeyResolver.subKeyIndex("caminhão", 3)).isBetween(0, 2);
    }

    @Test
    void subKeyIndexIsNonNegativeEvenForNegativeHashes() {
        int negatives = 0;
        for (int t = 0; t < 1000; t++) {
            String truck = "T-" + t;
            if (KeyResolver.stableHash(truck) < 0) {
                negatives++;
            }
            assertThat(KeyResolver.subKeyIndex(truck, 7)).isBetween(0, 6);
        }
        assertThat(negatives).isPositive();
    }

    @Test
    void hotCodesAreValidated() {
        assertThatThrownBy(() -> resolver("{\"hotCodes\":{\"400\":0}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("producer.keys.hotCodes.400: ")
                .hasMessageContaining("1-1024");
        assertThatThrownBy(() -> resolver("{\"hotCodes\":{\"400\":2.5}}")).hasMessageContaining("1-1024");
        assertThatThrownBy(() -> resolver("{\"hotCodes\":{\"400\":\"8\"}}")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> resolver("{\"hotCodes\":{\"abc\":8}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("producer.keys.hotCodes.abc: ");
        assertThatThrownBy(() -> resolver("{\"hotCodes\":{\"-4\":8}}")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> resolver("{\"hotCodes\":[400]}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("producer.keys.hotCodes: ");
        assertThatThrownBy(() -> resolver("{\"hot\":{}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("producer.keys.hot: unknown key");
    }
}
