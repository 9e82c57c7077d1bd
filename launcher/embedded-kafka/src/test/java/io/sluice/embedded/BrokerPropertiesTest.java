package io.sluice.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {

    private static NodeSpec node(int id, int base) {
        return new NodeSpec(
                id,
                Path.of("/tmp/c/node-" + id),
                Path.of("/tmp/c/node-" + id + "/broker.log"),
                base,
                base + 1,
                Map.of("SSL", base + 2));
    }

    @Test
    void singleNodeDefaults() {
        NodeSpec n1 = node(1, 10000);
        Map<String, String> p = BrokerProperties.forNode(n1, List.of(n1), EmbeddedKafkaOptions.defaults());
        assertThat(p)
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("node.id", "1")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:10001")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:10000,CONTROLLER://127.0.0.1:10001")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:10000")
                .containsEntry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("min.insync.replicas", "1")
                .containsEntry("auto.create.topics.enable", "false")
                .doesNotContainKey("broker.session.timeout.ms");
        assertThat(p.get("log.dirs")).endsWith("node-1" + java.io.File.separator + "data");
    }

    @Test
    void threeNodesWithExtraListenerAndOverrides() {
        List<NodeSpec> all = List.of(node(1, 10000), node(2, 11000), node(3, 12000));
        EmbeddedKafkaOptions options = EmbeddedKafkaOptions.builder()
                .nodes(3)
                .additionalListener(ListenerSpec.of("SSL"))
                .brokerProperty("listener.name.ssl.ssl.client.auth", "required")
                .brokerProperty("num.partitions", "6")
                .nodeProperties(2, Map.of("broker.rack", "b"))
                .build();
        Map<String, String> p2 = BrokerProperties.forNode(all.get(1), all, options);
        assertThat(p2)
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:10001,2@127.0.0.1:11001,3@127.0.0.1:12001")
                .containsEntry(
                        "listeners", "PLAINTEXT://127.0.0.1:11000,CONTROLLER://127.0.0.1:11001,SSL://127.0.0.1:11002")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:11000,SSL://127.0.0.1:11002")
                .containsEntry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL")
                .containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("min.insync.replicas", "2")
                .containsEntry("broker.session.timeout.ms", "3000")
                .containsEntry("num.partitions", "6")
                .containsEntry("broker.rack", "b")
                .containsEntry("listener.name.ssl.ssl.client.auth", "required");
        assertThat(BrokerProperties.forNode(all.get(0), all, options)).doesNotContainKey("broker.rack");
    }

    @Test
    void renderRoundTripsThroughJavaProperties() throws Exception {
        Map<String, String> in = new java.util.LinkedHashMap<>();
        in.put("a.b", "x=y:z");
        in.put("path", "C:\\dir\\file");
        in.put("sasl.jaas.config", "Module required\nuser=\"u\";");
        in.put("lead", " space");
        Properties read = new Properties();
        read.load(new StringReader(BrokerProperties.render(in)));
        in.forEach((k, v) -> assertThat(read.getProperty(k)).isEqualTo(v));
    }
}
