package io.sluice.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clusters not closed yet, and one JVM shutdown hook that closes them all in parallel, so no broker
 * outlives a parent JVM that exits normally or on SIGTERM/SIGINT. (A SIGKILLed parent is covered by
 * {@link ParentWatchdogMain} in each child.)
 */
final class ClusterRegistry {

    private static final Set<EmbeddedKafkaCluster> OPEN = ConcurrentHashMap.newKeySet();
    private static boolean hookInstalled;

    private ClusterRegistry() {}

    static synchronized void register(EmbeddedKafkaCluster cluster) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(ClusterRegistry::closeAll, "sluice-kafka-shutdown"));
            hookInstalled = true;
        }
        OPEN.add(cluster);
    }

    static void unregister(EmbeddedKafkaCluster cluster) {
        OPEN.remove(cluster);
    }

    private static void closeAll() {
        List<Runnable> closes = new ArrayList<>();
        for (EmbeddedKafkaCluster cluster : List.copyOf(OPEN)) {
            closes.add(cluster::close);
        }
        if (closes.isEmpty()) {
            return;
        }
        try {
            Parallel.runAll("sluice-kafka-shutdown-close", closes, Duration.ofSeconds(45));
        } catch (RuntimeException e) {
            System.err.println("[sluice-embedded-kafka] closing clusters at JVM exit failed: " + e);
        }
    }
}
