package io.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RestartSettingsTest {
    private static RestartSettings of(JsonObject json) {
        return RestartSettings.from(new Cfg(json, "pipelines[0].restart"));
    }

    @Test
    void defaultsRestartAfterOneSecondDoublingUpToAMinute() {
        RestartSettings r = of(new JsonObject());
        assertThat(r.restart()).isTrue();
        assertThat(new long[] {r.delayMs(1), r.delayMs(2), r.delayMs(3), r.delayMs(6), r.delayMs(7), r.delayMs(1_000)})
                .containsExactly(1_000, 2_000, 4_000, 32_000, 60_000, 60_000);
    }

    @Test
    void policyStopStaysStopped() {
        assertThat(of(new JsonObject().put("policy", "stop")).restart()).isFalse();
    }

    @Test
    void badValuesNameTheKeyAndWhatIsAllowed() {
        assertThatThrownBy(() -> of(new JsonObject().put("policy", "again")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("pipelines[0].restart.policy: must be one of restart, stop, got 'again'");
        assertThatThrownBy(
                        () -> of(new JsonObject().put("initialDelayMs", 5_000).put("maxDelayMs", 1_000)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("pipelines[0].restart.maxDelayMs: must be >= restart.initialDelayMs (5000)");
        assertThatThrownBy(() -> of(new JsonObject().put("retries", 3)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("retries");
    }
}
