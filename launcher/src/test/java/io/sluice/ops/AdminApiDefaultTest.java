package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.admin.AdminSettings;
import io.sluice.config.Cfg;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Defect: {@code AdminApi.DEFAULT_URL} was {@code http://127.0.0.1:8081}, the ingest server's default port, so a
 * command without {@code --admin} posted to the ingest API (seen failing: expected 8080, was 8081).
 */
@Timeout(5)
class AdminApiDefaultTest {
    @Test
    void theDefaultUrlIsTheAdminServersDefaultPort() {
        AdminSettings defaults = AdminSettings.from(new Cfg(new JsonObject(), "admin"), Map.of());
        assertThat(URI.create(AdminApi.DEFAULT_URL).getPort()).isEqualTo(defaults.port());
        assertThat(URI.create(AdminApi.DEFAULT_URL).getHost()).isEqualTo(defaults.host());
    }
}
