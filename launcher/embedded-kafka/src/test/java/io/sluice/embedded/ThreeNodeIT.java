package io.sluice.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ThreeNodeIT {

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void survivesAKilledNodeAndTheNodeRejoins() throws Exception {
        long t0 = System.nanoTime();
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(EmbeddedKafkaOptions.builder()
                        .nodes(3)
                        // C1 only: a third less start-up CPU for three JVMs on a small machine; fine for a functional
                        // test
                        .jvmOptions(List.of("-XX:TieredStopAtLevel=1"))
                        .build());
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            System.out.printf(
                    "3 nodes ready in %d ms (nodes: %s)%n",
                    (System.nanoTime() - t0) / 1_000_000,
                    kafka.nodeIds().stream()
                            .map(id -> id + "=" + kafka.startupDuration(id).toMillis() + "ms")
                            .toList());
            assertThat(kafka.nodeIds()).containsExactly(1, 2, 3);
            assertThat(kafka.nodeIds())
                    .allSatisfy(id -> assertThat(kafka.startupDuration(id))
                            .as("start-up of node " + id)
                            .isLessThan(Duration.ofSeconds(120)));
            assertThat(kafka.bootstrapServers().split(",")).hasSize(3);
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasSize(3);
            admin.createTopics(List.of(new NewTopic("replicated", 3, (short) 3)))
                    .all()
                    .get(30, TimeUnit.SECONDS);

            ProcessHandle killed = kafka.process(3).orElseThrow();
            kafka.stopNode(3, true);
            assertThat(kafka.isRunning(3)).isFalse();
            assertThat(killed.isAlive()).isFalse();

            Properties props = SingleNodeIT.producerProps(kafka);
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "40000");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
                for (int i = 0; i < 30; i++) {
                    RecordMetadata md = producer.send(new ProducerRecord<>("replicated", "k" + i, "v" + i))
                            .get(45, TimeUnit.SECONDS);
                    assertThat(md.offset()).isGreaterThanOrEqualTo(0);
                }
            }

            long r0 = System.nanoTime();
            kafka.restartNode(3);
            long restartMs = (System.nanoTime() - r0) / 1_000_000;
            System.out.printf("node 3 restarted in %d ms%n", restartMs);
            assertThat(restartMs).as("ms to restart node 3").isLessThan(120_000);
            assertThat(kafka.isRunning(3)).isTrue();
            TestSupport.await("3 brokers in describeCluster", Duration.ofSeconds(30), () -> {
                try {
                    return admin.describeCluster()
                                    .nodes()
                                    .get(5, TimeUnit.SECONDS)
                                    .size()
                            == 3;
                } catch (Exception e) {
                    return false;
                }
            });

            List<ProcessHandle> children = kafka.nodeIds().stream()
                    .map(id -> kafka.process(id).orElseThrow())
                    .toList();
            admin.close(Duration.ofSeconds(5));
            long c0 = System.nanoTime();
            kafka.close();
            long closeMs = (System.nanoTime() - c0) / 1_000_000;
            System.out.printf("3-node close took %d ms%n", closeMs);
            assertThat(closeMs).isLessThan(40_000);
            assertThat(children).noneMatch(ProcessHandle::isAlive);
            assertThat(kafka.baseDir()).doesNotExist();
        }
    }
}
