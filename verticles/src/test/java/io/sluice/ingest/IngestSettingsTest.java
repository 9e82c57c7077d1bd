package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class IngestSettingsTest {
    @Test
    void defaultsWhenAbsent() {
        IngestSettings s = IngestSettings.from(new Cfg(null, "ingest"));
        assertThat(s).isEqualTo(IngestSettings.defaults());
        assertThat(s.enabled()).isFalse();
        assertThat(s.host()).isEqualTo("127.0.0.1");
    }

    @Test
    void readsEveryKey() {
        IngestSettings s = IngestSettings.from(new Cfg(
                new JsonObject("{\"enabled\":true,\"host\":\"0.0.0.0\",\"port\":8081,"
                        + "\"maxBodyBytes\":2048,\"maxEventsPerRequest\":5,\"drainTimeoutMs\":0,\"allowedHosts\":[\"Ingest.Example\"],"
                        + "\"maxConnections\":7,\"headerTimeoutMs\":200,\"bodyTimeoutMs\":300,\"idleTimeoutMs\":400}"),
                "ingest"));
        assertThat(s)
                .isEqualTo(new IngestSettings(
                        true,
                        "0.0.0.0",
                        8081,
                        2048,
                        5,
                        0,
                        java.util.List.of("ingest.example"),
                        new io.sluice.http.HttpLimits(7, 200, 300, 400),
                        io.sluice.tls.ServerTls.disabled(),
                        IngestAuth.disabled()));
        assertThat(s.hostAllowed("ingest.example:8081")).isTrue();
        assertThat(s.hostAllowed("localhost")).isFalse();
        assertThat(s.hostAllowed(null)).isFalse();
    }

    @Test
    void aWildcardBindNeedsAllowedHostsAndLoopbackDefaultsServeLoopbackNames() {
        assertThatThrownBy(() -> IngestSettings.from(
                        new Cfg(new JsonObject("{\"enabled\":true,\"host\":\"0.0.0.0\"}"), "ingest")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ingest.allowedHosts:");
        IngestSettings local = IngestSettings.defaults();
        assertThat(local.hostAllowed("localhost:8081")).isTrue();
        assertThat(local.hostAllowed("127.0.0.1")).isTrue();
        assertThat(local.hostAllowed("[::1]:8081")).isTrue();
        assertThat(local.hostAllowed("rebind.attacker.example")).isFalse();
        IngestSettings any = IngestSettings.from(new Cfg(new JsonObject("{\"allowedHosts\":[\"*\"]}"), "ingest"));
        assertThat(any.hostAllowed("whatever")).isTrue();
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> IngestSettings.from(new Cfg(new JsonObject("{\"port\":70000}"), "ingest")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ingest.port:");
        assertThatThrownBy(() -> IngestSettings.from(new Cfg(new JsonObject("{\"maxBodyBytes\":10}"), "ingest")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ingest.maxBodyBytes:");
        assertThatThrownBy(() -> IngestSettings.from(new Cfg(new JsonObject("{\"maxEvents\":10}"), "ingest")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ingest.maxEvents:");
        assertThatThrownBy(() -> IngestSettings.from(new Cfg(new JsonObject("{\"host\":\" \"}"), "ingest")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ingest.host:");
    }
}
