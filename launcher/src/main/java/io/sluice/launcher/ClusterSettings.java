package io.sluice.launcher;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;

import java.util.List;

/**
 * {@code cluster}: the optional clustered event bus (Hazelcast, TCP/IP member list, no multicast). Off by default.
 *
 * @param enabled        join a cluster; the launcher then starts a clustered Vert.x
 * @param clusterName    Hazelcast cluster name: members of another name never join
 * @param host           address this node binds the event bus and Hazelcast to (an address of this host)
 * @param publicHost     address the other members reach this node at (EC2: the private IP), default {@code host}
 * @param eventBusPort   event-bus TCP port (0 = a free one; fix it on EC2 for the security group)
 * @param hazelcastPort  Hazelcast member port
 * @param members        the TCP/IP member list, {@code host} or {@code host:port}; this node may be in it
 * @param allowedCallers caller ids ({@code sluice-caller} header) whose remote requests are served; others are refused
 */
public record ClusterSettings(boolean enabled, String clusterName, String host, String publicHost, int eventBusPort,
                              int hazelcastPort, List<String> members, List<String> allowedCallers) {

    public ClusterSettings {
        members = List.copyOf(members);
        allowedCallers = List.copyOf(allowedCallers);
    }

    static ClusterSettings from(Cfg c) {
        boolean enabled = c.bool("enabled", false);
        ClusterSettings s = new ClusterSettings(enabled, c.string("clusterName", "sluice"), c.string("host", "127.0.0.1"),
                c.string("publicHost", null), c.intIn("eventBusPort", 0, 0, 65535), c.intIn("hazelcastPort", 5701, 1, 65535),
                c.strings("members", List.of()), c.strings("allowedCallers", List.of()));
        c.done();
        if (enabled && s.members().isEmpty()) {
            throw new ConfigException(c.key("members"), "is required when cluster.enabled is true (TCP/IP discovery, no multicast)");
        }
        if (enabled && s.allowedCallers().isEmpty()) {
            throw new ConfigException(c.key("allowedCallers"), "is required when cluster.enabled is true (remote callers not in it are refused)");
        }
        for (String m : s.members()) {
            if (!m.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?")) {
                throw new ConfigException(c.key("members"), "entries are host or host:port, got '" + m + "'");
            }
        }
        return s;
    }
}
