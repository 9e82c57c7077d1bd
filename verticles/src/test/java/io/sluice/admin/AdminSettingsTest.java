package io.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class AdminSettingsTest {
    private static AdminSettings from(String json, Map<String, String> env) {
        return AdminSettings.from(new Cfg(new JsonObject(json), "admin"), env);
    }

    @Test
    void defaults() {
        AdminSettings s = from("{}", Map.of());
        assertThat(s.enabled()).isFalse();
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.lagRefreshMs()).isEqualTo(1000);
        assertThat(s.lagWindowSamples()).isEqualTo(10);
    }

    @Test
    void tokenIsRequiredWhenEnabledAndTheEnvironmentWins() {
        assertThatThrownBy(() -> from("{\"enabled\":true}", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("admin.token: is required");
        assertThat(from("{\"enabled\":true}", Map.of("SLUICE_ADMIN_TOKEN", "from-env-123"))
                        .token())
                .isEqualTo("from-env-123");
        assertThat(from("{\"enabled\":true,\"token\":\"from-file-1\"}", Map.of("SLUICE_ADMIN_TOKEN", "from-env-123"))
                        .token())
                .isEqualTo("from-env-123");
    }

    @Test
    void aShortTokenIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> from("{\"enabled\":true,\"token\":\"abc\"}", Map.of()))
                .hasMessageContaining("admin.token: must be at least 8")
                .hasMessageNotContaining("abc");
    }

    @Test
    void theTokenIsNeverPrinted() {
        assertThat(from("{\"enabled\":true,\"token\":\"very-secret-1\"}", Map.of())
                        .toString())
                .doesNotContain("very-secret-1")
                .contains("token=***");
    }

    @Test
    void rangesAndUnknownKeys() {
        assertThatThrownBy(() -> from("{\"port\":70000}", Map.of())).hasMessageContaining("admin.port");
        assertThatThrownBy(() -> from("{\"lagWindowSamples\":2}", Map.of()))
                .hasMessageContaining("admin.lagWindowSamples");
        assertThatThrownBy(() -> from("{\"prot\":80}", Map.of())).hasMessageContaining("admin.prot: unknown key");
    }
}
