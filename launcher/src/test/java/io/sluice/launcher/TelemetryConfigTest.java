package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The telemetry sections through the config file and its overrides. */
@Timeout(10)
class TelemetryConfigTest {

    @Test
    void offByDefaultInTheShippedConfig() {
        SluiceConfig c = SluiceConfig.fromJson(TestConfigs.local(), Map.of());
        assertThat(c.telemetry().tracing().enabled()).isFalse();
        assertThat(c.telemetry().cloudwatch().enabled()).isFalse();
    }

    @Test
    void systemPropertiesTurnTracingOn() {
        JsonObject out = ConfigOverrides.apply(
                TestConfigs.local(),
                Map.of(),
                Map.of(
                        "sluice.tracing.enabled",
                        "true",
                        "sluice.tracing.endpoint",
                        "http://collector:4318/v1/traces",
                        "sluice.tracing.sampleRatio",
                        "0.5"));
        SluiceConfig c = SluiceConfig.fromJson(out, Map.of());
        assertThat(c.telemetry().tracing().enabled()).isTrue();
        assertThat(c.telemetry().tracing().endpoint()).hasToString("http://collector:4318/v1/traces");
        assertThat(c.telemetry().tracing().sampleRatio()).isEqualTo(0.5);
    }

    @Test
    void theLogFormatPropertyIsNotAConfigPath() {
        JsonObject out = ConfigOverrides.apply(
                TestConfigs.local(), Map.of("SLUICE_LOG_FORMAT", "json"), Map.of("sluice.log.format", "json"));
        assertThat(out.containsKey("log")).isFalse();
        assertThat(SluiceConfig.fromJson(out, Map.of()).telemetry().tracing().enabled())
                .isFalse();
    }
}
