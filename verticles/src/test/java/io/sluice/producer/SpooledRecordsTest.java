package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class SpooledRecordsTest {
    @Test
    void aRecordSurvivesTheRoundTripWithItsTopicKeyValueAndHeaders() {
        RecordHeaders h = new RecordHeaders();
        h.add("correlation-id", "c-1".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(
                "mt-c400",
                null,
                null,
                "300|T-1".getBytes(StandardCharsets.UTF_8),
                "{\"code\":300}".getBytes(StandardCharsets.UTF_8),
                h);
        ProducerRecord<byte[], byte[]> back = SpooledRecords.decode(SpooledRecords.encode(r));
        assertThat(back.topic()).isEqualTo("mt-c400");
        assertThat(back.key()).isEqualTo(r.key());
        assertThat(back.value()).isEqualTo(r.value());
        assertThat(back.headers().lastHeader("correlation-id").value())
                .isEqualTo("c-1".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<byte[], byte[]> bare = SpooledRecords.decode(
                SpooledRecords.encode(new ProducerRecord<>("t", null, null, null, new byte[] {1}, null)));
        assertThat(bare.key()).isNull();
        assertThat(bare.headers().toArray()).isEmpty();
    }
}
