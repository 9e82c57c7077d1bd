package io.sluice.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeneratorSettingsTest {

    private static GeneratorSettings settings(String json) {
        return GeneratorSettings.fromJson(new JsonObject(json), "generator");
    }

    private static void assertConfigError(String json, String key, String messagePart) {
        assertThatThrownBy(() -> settings(json))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key))
                .hasMessageContaining(messagePart);
    }

    @Test
    void readsEveryKey() {
        GeneratorSettings s = settings("""
                {"enabled":false,"rate":13000,"trucks":200,"codes":{"300":1,"400":10},
                 "pareto":{"hotKeyShare":0.1,"hotTrafficShare":0.9},"payloadBytes":512,
                 "ramp":{"steps":[1,2],"stepSeconds":10},"eventIdPrefix":"run-7","seed":42}""");

        assertThat(s.enabled()).isFalse();
        assertThat(s.rate()).isEqualTo(13000);
        assertThat(s.trucks()).isEqualTo(200);
        assertThat(s.codes()).containsExactly(entry(300, 1.0), entry(400, 10.0));
        assertThat(s.hotKeyShare()).isEqualTo(0.1);
        assertThat(s.hotTrafficShare()).isEqualTo(0.9);
        assertThat(s.payloadBytes()).isEqualTo(512);
        assertThat(s.ramp().multiplierAt(10_000)).isEqualTo(1.0);
        assertThat(s.ramp().multiplierAt(0)).isEqualTo(0.5);
        assertThat(s.eventIdPrefix()).contains("run-7");
        assertThat(s.seed()).hasValue(42);
    }

    @Test
    void defaultsAreAParetoMixOf300And400Codes() {
        GeneratorSettings s = GeneratorSettings.defaults();

        assertThat(s.enabled()).isTrue();
        assertThat(s.rate()).isEqualTo(1000);
        assertThat(s.trucks()).isEqualTo(5000);
        assertThat(s.payloadBytes()).isEqualTo(200);
        assertThat(s.hotKeyShare()).isEqualTo(0.2);
        assertThat(s.hotTrafficShare()).isEqualTo(0.8);
        assertThat(s.ramp()).isSameAs(RampProfile.none());
        assertThat(s.eventIdPrefix()).isEmpty();
        assertThat(s.seed()).isEmpty();
        Map<Integer, Double> codes = s.codes();
        assertThat(codes.keySet()).anyMatch(c -> c / 100 == 3).anyMatch(c -> c / 100 == 4);
        double total = codes.values().stream().mapToDouble(Double::doubleValue).sum();
        double top2 = codes.values().stream()
                .sorted((a, b) -> Double.compare(b, a))
                .limit(2)
                .mapToDouble(Double::doubleValue)
                .sum();
        assertThat(codes).hasSize(10);
        assertThat(top2 / total).isEqualTo(0.8); // 20% of the codes carry 80% of the weight
        assertThat(GeneratorSettings.fromJson(null, "g").codes()).isEqualTo(codes);
    }

    @Test
    void withRateChangesOnlyTheRate() {
        GeneratorSettings s = settings("{\"trucks\":7}").withRate(5);

        assertThat(s.rate()).isEqualTo(5);
        assertThat(s.trucks()).isEqualTo(7);
        assertThatThrownBy(() -> s.withRate(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rangesAreEnforcedWithTheKeyNamed() {
        assertConfigError("{\"rate\":-1}", "generator.rate", "between 0 and 10000000");
        assertConfigError("{\"rate\":\"fast\"}", "generator.rate", "got 'fast'");
        assertConfigError("{\"trucks\":0}", "generator.trucks", "between 1 and 1000000");
        assertConfigError("{\"trucks\":10.5}", "generator.trucks", "an integer");
        assertConfigError("{\"payloadBytes\":50}", "generator.payloadBytes", "between 128 and 1048576");
        assertConfigError("{\"enabled\":\"yes\"}", "generator.enabled", "true or false");
        assertConfigError("{\"eventIdPrefix\":\"has space\"}", "generator.eventIdPrefix", "[A-Za-z0-9_-]");
        assertConfigError("{\"seed\":1.5}", "generator.seed", "integer");
        assertConfigError("{\"rat\":5}", "generator.rat", "unknown key");
        assertConfigError("{\"ramp\":[1]}", "generator.ramp", "must be a JSON object");
        assertConfigError("{\"ramp\":{\"steps\":[1]}}", "generator.ramp.stepSeconds", "seconds");
    }

    @Test
    void codesAreValidated() {
        assertConfigError("{\"codes\":{}}", "generator.codes", "non-empty object");
        assertConfigError("{\"codes\":{\"x1\":1}}", "generator.codes.x1", "must be a code");
        assertConfigError("{\"codes\":{\"300\":-1}}", "generator.codes.300", "number >= 0");
        assertConfigError("{\"codes\":{\"300\":\"1\"}}", "generator.codes.300", "number >= 0");
        assertConfigError("{\"codes\":{\"300\":0,\"301\":0}}", "generator.codes", "at least one weight must be > 0");
    }

    @Test
    void paretoSharesAreValidated() {
        assertConfigError("{\"pareto\":{\"hotKeyShare\":0}}", "generator.pareto.hotKeyShare", "(0, 1)");
        assertConfigError("{\"pareto\":{\"hotTrafficShare\":1}}", "generator.pareto.hotTrafficShare", "(0, 1)");
        assertConfigError(
                "{\"pareto\":{\"hotKeyShare\":0.5,\"hotTrafficShare\":0.3}}",
                "generator.pareto.hotTrafficShare",
                ">= hotKeyShare");
        assertConfigError("{\"pareto\":{\"hot\":0.5}}", "generator.pareto.hot", "unknown key");
        assertConfigError("{\"pareto\":0.8}", "generator.pareto", "must be a JSON object");
    }
}
