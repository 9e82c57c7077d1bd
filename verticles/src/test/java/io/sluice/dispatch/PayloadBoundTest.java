package io.sluice.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.batch.Lanes;
import io.sluice.record.InRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte ceiling rests on {@link InRecord#payloadBytes()} being an upper bound of what the event really holds. */
class PayloadBoundTest {
    private static final KafkaEventPayload PAYLOADS = new KafkaEventPayload(
            "b-1.example.c2.kafka.us-east-1.amazonaws.com:9094,b-2.example.c2.kafka.us-east-1.amazonaws.com:9094",
            "arn:aws:kafka:us-east-1:123456789012:cluster/example/abcd1234-ab12-cd34-ef56-abcdef123456-1");

    @Test
    void theEstimateIsNeverBelowTheEventsBytesWhateverTheRecord() {
        List<InRecord> odd = new ArrayList<>();
        byte[] negative = new byte[64];
        java.util.Arrays.fill(negative, (byte) -128);
        List<InRecord.Header> headers = List.of(
                new InRecord.Header("quote\"back\\slash\u0001", negative),
                new InRecord.Header("ünïcødé-名前", new byte[] {0, 9, 10, 99, 100, 127, -1, -9, -10, -99, -100}),
                new InRecord.Header("null-value", null));
        for (int p = 0; p < 12; p++) {
            odd.add(new InRecord(
                    "telemetry.hot_topic-v2",
                    1000 + p,
                    Long.MAX_VALUE - p,
                    Long.MIN_VALUE,
                    "NO_TIMESTAMP_TYPE",
                    null,
                    null,
                    headers,
                    1,
                    0));
            odd.add(new InRecord(
                    "telemetry.hot_topic-v2",
                    1000 + p,
                    0,
                    -1,
                    "LOG_APPEND_TIME",
                    new byte[0],
                    new byte[1],
                    List.of(),
                    1,
                    0));
            odd.add(new InRecord(
                    "t",
                    p,
                    123_456_789_012L,
                    1_700_000_000_000L,
                    "CREATE_TIME",
                    "400:T-1".getBytes(StandardCharsets.UTF_8),
                    new byte[200],
                    List.of(),
                    1,
                    0));
        }
        long estimate = Lanes.ENVELOPE_BYTES;
        for (InRecord r : odd) {
            byte[] one = PAYLOADS.build(List.of(r));
            // one record alone: the estimate covers it with the envelope and its partition's key
            assertThat(one.length)
                    .as("%s", r.coordinates())
                    .isLessThanOrEqualTo(Lanes.ENVELOPE_BYTES + r.topic().length() + 16 + r.payloadBytes());
            estimate += r.payloadBytes() + r.topic().length() + 16;
        }
        assertThat((long) PAYLOADS.build(odd).length).isLessThanOrEqualTo(estimate);
    }
}
