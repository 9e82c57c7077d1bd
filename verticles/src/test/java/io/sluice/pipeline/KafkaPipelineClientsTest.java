package io.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.kafka.KafkaSettings;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class KafkaPipelineClientsTest {

    @Test
    void aFetchWaitsOnTheBrokerForDataInsteadOfComingBackWithTheFewRecordsThatArrived() {
        Map<String, Object> d = KafkaPipelineClients.consumerDefaults("orders", "sluice-orders", 42);
        assertThat(d)
                .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20")
                .containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1048576")
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "sluice-orders")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-orders-42");
        // Kafka itself accepts them (its own parser and validators)
        ConsumerConfig parsed = new ConsumerConfig(new KafkaSettings("127.0.0.1:9092", Map.of(), List.of(), false)
                .clientConfig(withDeserializers(d), Map.of()));
        assertThat(parsed.getInt(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).isEqualTo(20);
        assertThat(parsed.getInt(ConsumerConfig.FETCH_MIN_BYTES_CONFIG)).isEqualTo(1_048_576);
    }

    @Test
    void thePipelinesOwnConsumerPropertiesWinOverTheDefaults() {
        Map<String, Object> m = new KafkaSettings("127.0.0.1:9092", Map.of(), List.of(), false)
                .clientConfig(
                        KafkaPipelineClients.consumerDefaults("orders", "g", 1),
                        Map.of("fetch.max.wait.ms", "0", "fetch.min.bytes", "1"));
        assertThat(m).containsEntry("fetch.max.wait.ms", "0").containsEntry("fetch.min.bytes", "1");
    }

    private static Map<String, Object> withDeserializers(Map<String, Object> d) {
        Map<String, Object> m = new java.util.HashMap<>(d);
        m.put(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        m.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        return m;
    }
}
