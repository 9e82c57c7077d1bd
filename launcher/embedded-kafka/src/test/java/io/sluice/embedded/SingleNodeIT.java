package io.sluice.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SingleNodeIT {

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void startsProducesConsumesAndCleansUp() throws Exception {
        // an extra listener proves listeners/advertised.listeners/security map compose (SSL works the same way)
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(EmbeddedKafkaOptions.builder()
                .additionalListener(new ListenerSpec("EXTERNAL", "PLAINTEXT"))
                .build());
        List<ProcessHandle> children;
        Path baseDir = kafka.baseDir();
        try {
            assertThat(kafka.nodeIds()).containsExactly(1);
            assertThat(kafka.bootstrapServers()).isEqualTo(kafka.listener(1)).startsWith("127.0.0.1:");
            assertThat(kafka.isRunning(1)).isTrue();
            assertThat(kafka.clusterId()).hasSize(22);
            assertThat(Files.readString(kafka.logFile(1))).contains("Kafka Server started");
            System.out.printf(
                    "single node ready in %d ms%n", kafka.startupDuration(1).toMillis());
            assertThat(kafka.startupDuration(1)).as("start-up").isLessThan(java.time.Duration.ofSeconds(120));
            children = List.of(kafka.process(1).orElseThrow());

            assertThat(kafka.listener(1, "EXTERNAL"))
                    .isNotEqualTo(kafka.listener(1))
                    .startsWith("127.0.0.1:");
            try (Admin admin = Admin.create(
                    Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers("EXTERNAL")))) {
                admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka))) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("orders", "key-" + i, "value-" + i));
                }
                producer.flush();
            }
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(kafka))) {
                consumer.subscribe(List.of("orders"));
                TestSupport.await("100 records consumed", Duration.ofSeconds(30), () -> {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                    return values.size() >= 100;
                });
            }
            assertThat(values).hasSize(100).contains("value-0", "value-99");
        } finally {
            kafka.close();
        }
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        assertThat(TestSupport.liveDescendants()).isEmpty();
        assertThat(baseDir).doesNotExist();
        kafka.close(); // idempotent
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void failedStartReportsTheLogAndCleansUp(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Path base = tmp.resolve("bad");
        EmbeddedKafkaOptions options = EmbeddedKafkaOptions.builder()
                .baseDir(base)
                .brokerProperty("num.network.threads", "not-a-number")
                .build();
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> EmbeddedKafkaCluster.start(options));
        assertThat(thrown).isInstanceOf(EmbeddedKafkaException.class).hasMessageContaining("num.network.threads");
        assertThat(base).doesNotExist();
        assertThat(TestSupport.liveDescendants()).isEmpty();
    }

    static Properties producerProps(EmbeddedKafkaCluster kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    static Properties consumerProps(EmbeddedKafkaCluster kafka) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-group");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }
}
