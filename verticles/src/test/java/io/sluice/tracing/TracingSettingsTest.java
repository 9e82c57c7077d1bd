package io.sluice.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TracingSettingsTest {

    private static TelemetrySettings parse(String json) {
        Cfg root = new Cfg(new JsonObject(json), "");
        TelemetrySettings s = TelemetrySettings.from(root);
        root.done();
        return s;
    }

    @Test
    void offByDefaultAndOffMeansNoSdk() {
        TelemetrySettings s = parse("{}");
        assertThat(s.tracing().enabled()).isFalse();
        assertThat(s.cloudwatch().enabled()).isFalse();
        assertThat(Tracing.start(s.tracing())).isSameAs(Tracing.OFF);
        assertThat(Tracing.OFF.enabled()).isFalse();
        assertThat(Tracing.of(null)).isSameAs(Tracing.OFF);
    }

    @Test
    void everyKeyIsRead() {
        TelemetrySettings s =
                parse("{\"tracing\":{\"enabled\":true,\"endpoint\":\"https://otel.example:4318/v1/traces\","
                        + "\"headers\":{\"api-key\":\"k\"},\"sampleRatio\":0.1,\"serviceName\":\"sluice-a\",\"maxQueueSize\":100,"
                        + "\"exportTimeoutMs\":2000,\"maxLinks\":16},"
                        + "\"metrics\":{\"cloudwatch\":{\"enabled\":true,\"namespace\":\"Fleet/Sluice\",\"intervalMs\":10000,"
                        + "\"prefixes\":[\"sluice.dispatch\"]}}}");
        TracingSettings t = s.tracing();
        assertThat(t.enabled()).isTrue();
        assertThat(t.endpoint()).hasToString("https://otel.example:4318/v1/traces");
        assertThat(t.headers()).isEqualTo(Map.of("api-key", "k"));
        assertThat(t.sampleRatio()).isEqualTo(0.1);
        assertThat(t.serviceName()).isEqualTo("sluice-a");
        assertThat(t.maxQueueSize()).isEqualTo(100);
        assertThat(t.exportTimeoutMs()).isEqualTo(2000);
        assertThat(t.maxLinks()).isEqualTo(16);
        assertThat(s.cloudwatch().namespace()).isEqualTo("Fleet/Sluice");
        assertThat(s.cloudwatch().intervalMs()).isEqualTo(10_000);
        assertThat(s.cloudwatch().prefixes()).containsExactly("sluice.dispatch");
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> parse("{\"tracing\":{\"endpoint\":\"localhost:4318\"}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tracing.endpoint");
        assertThatThrownBy(() -> parse("{\"tracing\":{\"sampleRatio\":1.5}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tracing.sampleRatio");
        assertThatThrownBy(() -> parse("{\"tracing\":{\"enable\":true}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tracing.enable");
        assertThatThrownBy(() -> parse("{\"metrics\":{\"cloudwatch\":{\"namespace\":\"AWS/Lambda\"}}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("metrics.cloudwatch.namespace");
        assertThatThrownBy(() -> parse("{\"metrics\":{\"prometheus\":{}}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("metrics.prometheus");
    }
}
