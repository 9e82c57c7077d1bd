package io.sluice.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;

/**
 * The Hazelcast configuration of {@code cluster}: TCP/IP discovery from the member list (multicast and auto-detection
 * off), bound to {@code cluster.host}, the maps Vert.x needs (as its {@code default-cluster.xml}), no phone-home.
 */
final class HazelcastConfigs {
    private HazelcastConfigs() {}

    static Config tcpIp(ClusterSettings c) {
        Config cfg = new Config();
        cfg.setClusterName(c.clusterName());
        cfg.setProperty("hazelcast.phone.home.enabled", "false");
        cfg.setProperty("hazelcast.logging.type", "slf4j");
        cfg.setProperty("hazelcast.socket.bind.any", "false");
        // a member that stops leaves at once (graceful shutdown); a member that vanishes is suspected after 10 s
        cfg.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        cfg.setProperty("hazelcast.shutdownhook.enabled", "false"); // Vert.x's close leaves the cluster, in order
        NetworkConfig net = cfg.getNetworkConfig();
        net.setPort(c.hazelcastPort()).setPortAutoIncrement(false);
        net.getInterfaces().setEnabled(true).addInterface(c.host());
        if (c.publicHost() != null) {
            net.setPublicAddress(c.publicHost() + ":" + c.hazelcastPort());
        }
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(c.members());
        cfg.addMultiMapConfig(new MultiMapConfig("__vertx.subs")
                .setBackupCount(1)
                .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        cfg.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
        cfg.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
        return cfg;
    }
}
