package io.sluice.lambda.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TraceSettingsTest {

    @Test
    void offWithoutAnEndpoint() {
        assertThat(TraceSettings.from(Map.of(), new Properties()).enabled()).isFalse();
        assertThat(FunctionTracing.start(TraceSettings.from(Map.of(), new Properties())))
                .isSameAs(FunctionTracing.OFF);
    }

    @Test
    void theBaseEndpointGetsTheTracesPathAndTheTracesEndpointIsTakenAsIs() {
        TraceSettings base =
                TraceSettings.from(Map.of(TraceSettings.ENDPOINT, "http://collector:4318/"), new Properties());
        assertThat(base.enabled()).isTrue();
        assertThat(base.endpoint()).hasToString("http://collector:4318/v1/traces");
        assertThat(base.serviceName()).isEqualTo("sluice-dispatcher");
        TraceSettings full = TraceSettings.from(
                Map.of(
                        TraceSettings.ENDPOINT,
                        "http://a:4318",
                        TraceSettings.TRACES_ENDPOINT,
                        "https://b/otlp/traces",
                        TraceSettings.HEADERS,
                        "api-key=k1, x=y",
                        TraceSettings.SAMPLER_ARG,
                        "0.25",
                        TraceSettings.SERVICE_NAME,
                        "fn"),
                new Properties());
        assertThat(full.endpoint()).hasToString("https://b/otlp/traces");
        assertThat(full.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("api-key", "k1", "x", "y"));
        assertThat(full.sampleRatio()).isEqualTo(0.25);
        assertThat(full.serviceName()).isEqualTo("fn");
    }

    @Test
    void aSystemPropertyIsTheFallbackAndDisabledWins() {
        Properties p = new Properties();
        p.setProperty("otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:4318/v1/traces");
        assertThat(TraceSettings.from(Map.of(), p).enabled()).isTrue();
        assertThat(TraceSettings.from(Map.of(TraceSettings.DISABLED, "true"), p).enabled())
                .isFalse();
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> TraceSettings.from(Map.of(TraceSettings.ENDPOINT, "collector:4318"), new Properties()))
                .hasMessageContaining(TraceSettings.ENDPOINT)
                .hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> TraceSettings.from(
                        Map.of(TraceSettings.ENDPOINT, "http://c", TraceSettings.SAMPLER_ARG, "2"), new Properties()))
                .hasMessageContaining(TraceSettings.SAMPLER_ARG);
        assertThatThrownBy(() -> TraceSettings.from(
                        Map.of(TraceSettings.ENDPOINT, "http://c", TraceSettings.EXPORT_TIMEOUT, "0"),
                        new Properties()))
                .hasMessageContaining(TraceSettings.EXPORT_TIMEOUT);
        assertThatThrownBy(() -> TraceSettings.from(
                        Map.of(TraceSettings.ENDPOINT, "http://c", TraceSettings.HEADERS, "novalue"), new Properties()))
                .hasMessageContaining(TraceSettings.HEADERS);
    }
}
