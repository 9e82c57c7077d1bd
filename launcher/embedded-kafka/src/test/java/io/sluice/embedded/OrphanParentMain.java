package io.sluice.embedded;

import java.nio.file.Path;

/**
 * Test main for {@link OrphanIT}: owns a one-node cluster in {@code args[0]}, prints the broker's
 * pid, then waits (bounded) to be killed.
 */
public final class OrphanParentMain {

    private OrphanParentMain() {}

    public static void main(String[] args) throws Exception {
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(
                EmbeddedKafkaOptions.builder().baseDir(Path.of(args[0])).build());
        System.out.println("BROKER_PID=" + kafka.process(1).orElseThrow().pid());
        System.out.flush();
        Thread.sleep(120_000);
        kafka.close();
    }
}
