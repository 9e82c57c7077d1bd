package io.sluice.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.consumer.RecordConversion;
import io.sluice.lambda.Dispatcher;
import io.sluice.lambda.event.KafkaEventBatch;
import io.sluice.lambda.event.KafkaEventParser;
import io.sluice.lambda.record.RecordDecoder;
import io.sluice.record.InRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The redelivery marks as the function reads them: a suspect record's {@code sluice-suspect} header and an
 * invocation's {@code sluiceDeliveryAttempt}; the payload estimate still bounds the event.
 */
@Timeout(10)
class RedeliveryPayloadTest {
    private static final KafkaEventPayload PAYLOADS = new KafkaEventPayload("localhost:9092", null);
    private static final KafkaEventParser PARSER = new KafkaEventParser(new ObjectMapper());

    private static ConsumerRecord<byte[], byte[]> record(long offset) {
        return new ConsumerRecord<>(
                "t",
                0,
                offset,
                "k".getBytes(StandardCharsets.UTF_8),
                "{\"eventId\":\"e\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theFunctionSeesTheSuspectHeaderOfARefetchedRecordOnly() throws Exception {
        List<InRecord> records = List.of(
                RecordConversion.toSuspectInRecord(record(3), 1, 0), RecordConversion.toInRecord(record(4), 1, 0));

        KafkaEventBatch batch = PARSER.parse(PAYLOADS.build(records));

        RecordDecoder decoder = new RecordDecoder();
        assertThat(batch.deliveryAttempt()).isEqualTo(1);
        assertThat(decoder.decode(batch.records().get(0)).headers())
                .containsEntry(Dispatcher.SUSPECT_HEADER, "1")
                .containsEntry(RecordConversion.DELIVERY_ATTEMPT_HEADER, "2");
        assertThat(decoder.decode(batch.records().get(1)).headers()).doesNotContainKey(Dispatcher.SUSPECT_HEADER);
        assertThat(RecordConversion.SUSPECT_HEADER).isEqualTo(Dispatcher.SUSPECT_HEADER);
    }

    @Test
    void aRetriedInvocationCarriesItsAttempt() {
        List<InRecord> records = List.of(RecordConversion.toInRecord(record(4), 1, 0));
        assertThat(PARSER.parse(PAYLOADS.build(records, 1)).deliveryAttempt()).isEqualTo(1);
        assertThat(new String(PAYLOADS.build(records, 1), StandardCharsets.UTF_8))
                .doesNotContain(KafkaEventPayload.DELIVERY_ATTEMPT_FIELD);
        assertThat(PARSER.parse(PAYLOADS.build(records, 3)).deliveryAttempt()).isEqualTo(3);
        assertThat(KafkaEventPayload.DELIVERY_ATTEMPT_FIELD).isEqualTo(KafkaEventBatch.DELIVERY_ATTEMPT_FIELD);
    }

    @Test
    void theEstimateStillBoundsAnEventOfSuspectsOnALateAttempt() {
        InRecord suspect = RecordConversion.toSuspectInRecord(record(Long.MAX_VALUE - 1), 1, 0);
        byte[] event = PAYLOADS.build(List.of(suspect), Integer.MAX_VALUE);
        assertThat(event.length)
                .isLessThanOrEqualTo(
                        io.sluice.batch.Lanes.ENVELOPE_BYTES + suspect.topic().length() + 16 + suspect.payloadBytes());
    }
}
