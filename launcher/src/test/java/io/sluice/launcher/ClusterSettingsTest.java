package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ClusterSettingsTest {
    private static SluiceConfig with(JsonObject cluster) {
        JsonObject c = TestConfigs.local();
        if (cluster != null) {
            c.put("cluster", cluster);
        }
        return SluiceConfig.fromJson(c);
    }

    @Test
    void offByDefault() {
        assertThat(with(null).cluster().enabled()).isFalse();
    }

    @Test
    void tcpIpMembersAndAllowedCallersAreRequiredWhenOn() {
        assertThatThrownBy(() ->
                        with(new JsonObject().put("enabled", true).put("allowedCallers", new JsonArray().add("a"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cluster.members: is required");
        assertThatThrownBy(() ->
                        with(new JsonObject().put("enabled", true).put("members", new JsonArray().add("10.0.1.5"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cluster.allowedCallers: is required");
        assertThatThrownBy(() -> with(new JsonObject()
                        .put("enabled", true)
                        .put("members", new JsonArray().add("10.0.1.5:x"))
                        .put("allowedCallers", new JsonArray().add("a"))))
                .hasMessageContaining("host or host:port");
        assertThatThrownBy(() -> with(new JsonObject().put("multicast", true)))
                .hasMessageContaining("cluster.multicast");
    }

    @Test
    void aFullSection() {
        ClusterSettings c = with(new JsonObject()
                        .put("enabled", true)
                        .put("host", "10.0.1.15")
                        .put("eventBusPort", 5800)
                        .put("members", new JsonArray().add("10.0.1.15:5701").add("10.0.1.16"))
                        .put("allowedCallers", new JsonArray().add("orders-service")))
                .cluster();
        assertThat(c.members()).containsExactly("10.0.1.15:5701", "10.0.1.16");
        assertThat(c.allowedCallers()).isEqualTo(List.of("orders-service"));
        assertThat(c.hazelcastPort()).isEqualTo(5701);
        assertThat(HazelcastConfigs.tcpIp(c)
                        .getNetworkConfig()
                        .getJoin()
                        .getMulticastConfig()
                        .isEnabled())
                .isFalse();
        assertThat(HazelcastConfigs.tcpIp(c)
                        .getNetworkConfig()
                        .getJoin()
                        .getTcpIpConfig()
                        .getMembers())
                .containsExactly("10.0.1.15:5701", "10.0.1.16");
    }
}
