package io.sluice.embedded;

import java.nio.file.Path;
import java.util.Map;

/**
 * Fixed identity of one node: id, directories and ports. Ports are kept across restarts.
 *
 * @param nodeId              KRaft node id (1-based)
 * @param dir                 node directory: {@code server.properties}, {@code log4j2.properties},
 *                            {@code data/}
 * @param logFile             file receiving the child's stdout and stderr
 * @param plaintextPort       port of the {@code PLAINTEXT} client and inter-broker listener
 * @param controllerPort      port of the {@code CONTROLLER} listener
 * @param additionalPorts     port per additional listener name
 */
record NodeSpec(
        int nodeId,
        Path dir,
        Path logFile,
        int plaintextPort,
        int controllerPort,
        Map<String, Integer> additionalPorts) {

    NodeSpec {
        additionalPorts = Map.copyOf(additionalPorts);
    }

    /** @return the broker's data directory ({@code log.dirs}) */
    Path dataDir() {
        return dir.resolve("data");
    }

    /** @return the broker's {@code server.properties} */
    Path serverProperties() {
        return dir.resolve("server.properties");
    }

    /** @return the broker's Log4j 2 configuration */
    Path log4jConfig() {
        return dir.resolve("log4j2.properties");
    }

    /** @return {@code host:port} of a listener, {@code null} if the node has no such listener */
    String hostPort(String listenerName) {
        Integer port = switch (listenerName) {
            case BrokerProperties.PLAINTEXT -> plaintextPort;
            case BrokerProperties.CONTROLLER -> controllerPort;
            default -> additionalPorts.get(listenerName);
        };
        return port == null ? null : BrokerProperties.HOST + ":" + port;
    }
}
