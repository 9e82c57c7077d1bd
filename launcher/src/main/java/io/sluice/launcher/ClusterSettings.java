package io.sluice.launcher;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
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
public record ClusterSettings(
        boolean enabled,
        String clusterName,
        String host,
        String publicHost,
        int eventBusPort,
        int hazelcastPort,
        List<String> members,
        List<String> allowedCallers) {

    public ClusterSettings {
        members = List.copyOf(members);
        allowedCallers = List.copyOf(allowedCallers);
    }

    private static final Key<Boolean> ENABLED = Key.bool(
            "enabled",
            false,
            "join a cluster: the launcher starts a clustered Vert.x (Hazelcast, TCP/IP member list, no multicast)");
    private static final Key<String> CLUSTER_NAME =
            Key.string("clusterName", "sluice", "Hazelcast cluster name: members of another name never join");
    private static final Key<String> HOST =
            Key.string("host", "127.0.0.1", "address this node binds the event bus and Hazelcast to");
    private static final Key<String> PUBLIC_HOST = Key.string(
            "publicHost", null, "address the other members reach this node at (EC2: the private IP); unset = host");
    private static final Key<Integer> EVENT_BUS_PORT = Key.integer(
            "eventBusPort", 0, 0, 65535, "event-bus TCP port (0 = a free one; fix it on EC2 for the security group)");
    private static final Key<Integer> HAZELCAST_PORT =
            Key.integer("hazelcastPort", 5701, 1, 65535, "Hazelcast member port");
    private static final Key<List<String>> MEMBERS =
            Key.strings("members", List.of(), "the TCP/IP member list, host or host:port (required when enabled)");
    private static final Key<List<String>> ALLOWED_CALLERS = Key.strings(
            "allowedCallers",
            List.of(),
            "caller ids (sluice-caller header) whose remote requests are served (required when enabled)");
    /** {@code cluster}. */
    static final Section SECTION = Section.of(
            "the optional clustered event bus (docs/vertx.md)",
            ENABLED,
            CLUSTER_NAME,
            HOST,
            PUBLIC_HOST,
            EVENT_BUS_PORT,
            HAZELCAST_PORT,
            MEMBERS,
            ALLOWED_CALLERS);

    static ClusterSettings from(Cfg c) {
        boolean enabled = c.get(ENABLED);
        ClusterSettings s = new ClusterSettings(
                enabled,
                c.get(CLUSTER_NAME),
                c.get(HOST),
                c.get(PUBLIC_HOST),
                c.get(EVENT_BUS_PORT),
                c.get(HAZELCAST_PORT),
                c.get(MEMBERS),
                c.get(ALLOWED_CALLERS));
        c.done();
        if (enabled && s.members().isEmpty()) {
            throw new ConfigException(
                    c.key("members"), "is required when cluster.enabled is true (TCP/IP discovery, no multicast)");
        }
        if (enabled && s.allowedCallers().isEmpty()) {
            throw new ConfigException(
                    c.key("allowedCallers"),
                    "is required when cluster.enabled is true (remote callers not in it are refused)");
        }
        for (String m : s.members()) {
            if (!m.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?")) {
                throw new ConfigException(c.key("members"), "entries are host or host:port, got '" + m + "'");
            }
        }
        return s;
    }
}
