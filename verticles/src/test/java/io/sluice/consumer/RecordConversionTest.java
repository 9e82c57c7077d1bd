package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.record.InRecord;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RecordConversionTest {

    /** The names of the AWS Lambda Kafka event (an event source mapping's), not Kafka's display names. */
    private static final Map<TimestampType, String> AWS_NAMES = Map.of(
            TimestampType.CREATE_TIME, "CREATE_TIME",
            TimestampType.LOG_APPEND_TIME, "LOG_APPEND_TIME",
            TimestampType.NO_TIMESTAMP_TYPE, "NO_TIMESTAMP_TYPE");

    @ParameterizedTest
    @EnumSource(TimestampType.class)
    void everyKafkaTimestampTypeGetsItsAwsName(TimestampType type) {
        assertThat(AWS_NAMES)
                .as("every Kafka timestamp type has an expected AWS name")
                .containsKey(type);

        assertThat(RecordConversion.awsTimestampType(type))
                .isEqualTo(AWS_NAMES.get(type))
                .as("not Kafka's display name")
                .isNotEqualTo(type.name);
        assertThat(RecordConversion.toInRecord(record(type, new RecordHeaders()), 1, 0)
                        .timestampType())
                .isEqualTo(AWS_NAMES.get(type));
    }

    @Test
    void aMissingTimestampTypeIsNoTimestampType() {
        assertThat(RecordConversion.awsTimestampType(null)).isEqualTo("NO_TIMESTAMP_TYPE");
    }

    @Test
    void keepsCoordinatesBytesAndHeadersInOrderWithDuplicatesAndNullValues() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("a", utf8("1")));
        headers.add(new RecordHeader("none", null));
        headers.add(new RecordHeader("a", utf8("é")));
        ConsumerRecord<byte[], byte[]> r = record(TimestampType.LOG_APPEND_TIME, headers);

        InRecord in = RecordConversion.toInRecord(r, 7, 1_234L);

        assertThat(in.topic()).isEqualTo("t");
        assertThat(in.partition()).isEqualTo(3);
        assertThat(in.offset()).isEqualTo(42L);
        assertThat(in.timestamp()).isEqualTo(1_545_084_650_987L);
        assertThat(in.key()).isNull();
        assertThat(in.value()).isEqualTo(utf8("{}"));
        assertThat(in.epoch()).isEqualTo(7L);
        assertThat(in.polledAtMs()).isEqualTo(1_234L);
        assertThat(in.headers()).extracting(InRecord.Header::name).containsExactly("a", "none", "a");
        assertThat(in.headers()).extracting(InRecord.Header::value).containsExactly(utf8("1"), null, utf8("é"));
    }

    private static ConsumerRecord<byte[], byte[]> record(TimestampType type, RecordHeaders headers) {
        return new ConsumerRecord<>(
                "t", 3, 42L, 1_545_084_650_987L, type, -1, 2, null, utf8("{}"), headers, Optional.empty());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
