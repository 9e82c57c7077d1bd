package io.sluice.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.lambda.event.InvalidEventException;
import io.sluice.lambda.event.KafkaEventBatch;
import io.sluice.lambda.event.KafkaEventParser;
import io.sluice.lambda.event.KafkaEventRecord;
import io.sluice.lambda.record.DecodedRecord;
import io.sluice.lambda.record.InvalidRecordException;
import io.sluice.lambda.record.RecordDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class KafkaEventParserTest {

    private final KafkaEventParser parser = new KafkaEventParser(Dispatcher.MAPPER);
    private final RecordDecoder decoder = new RecordDecoder();

    @ParameterizedTest
    @ValueSource(strings = {"events/msk-docs-example.json", "events/self-managed-docs-example.json"})
    void readsTheAwsDocumentationExamples(String fixture) throws InvalidRecordException {
        KafkaEventBatch batch = parser.parse(Fixtures.bytes(fixture));

        assertThat(batch.eventSource()).isIn("aws:kafka", "SelfManagedKafka");
        assertThat(batch.records()).hasSize(1);
        KafkaEventRecord r = batch.records().get(0);
        assertThat(r.id()).isEqualTo(new RecordId("mytopic-0", 15));
        assertThat(r.timestamp()).isEqualTo(1545084650987L);
        assertThat(r.timestampType()).isEqualTo("CREATE_TIME");
        DecodedRecord d = decoder.decode(r);
        assertThat(d.key()).isEqualTo("recordKey");
        assertThat(new String(d.value(), StandardCharsets.UTF_8)).isEqualTo("{\"key\":\"value\"}");
        assertThat(d.headers()).containsEntry("headerKey", "headerValue");
    }

    @Test
    void acceptsOffsetsAsStringsAndKeepsEventOrder() {
        KafkaEventBatch batch = parser.parse(Fixtures.bytes("events/telemetry-batch.json"));

        assertThat(batch.records())
                .extracting(KafkaEventRecord::id)
                .containsExactly(
                        new RecordId("mt-c300-0", 15),
                        new RecordId("mt-c300-0", 16),
                        new RecordId("mt-c300-0", 17),
                        new RecordId("mt-c300-0", 18),
                        new RecordId("mt-c300-1", 20),
                        new RecordId("mt-c300-1", 21),
                        new RecordId("mt-c300-1", 22),
                        new RecordId("mt-c300-1", 23));
    }

    @Test
    void anEventWithSeveralPartitionsAndTopicsKeepsEachGroupInOrder() {
        String event = "{\"eventSource\":\"SelfManagedKafka\",\"records\":{"
                + "\"t-3\":[{\"topic\":\"t\",\"partition\":3,\"offset\":7,\"value\":\"e30=\"},"
                + "{\"topic\":\"t\",\"partition\":3,\"offset\":8,\"value\":\"e30=\"}],"
                + "\"t-0\":[{\"topic\":\"t\",\"partition\":0,\"offset\":\"100\",\"value\":\"e30=\"}],"
                + "\"u-3\":[{\"topic\":\"u\",\"partition\":3,\"offset\":1,\"value\":\"e30=\"}]}}";

        KafkaEventBatch batch = parser.parse(event.getBytes(StandardCharsets.UTF_8));

        assertThat(batch.records())
                .extracting(KafkaEventRecord::id)
                .containsExactly(
                        new RecordId("t-3", 7),
                        new RecordId("t-3", 8),
                        new RecordId("t-0", 100),
                        new RecordId("u-3", 1));
    }

    @Test
    void decodesSignedAndBase64HeaderValues() throws InvalidRecordException {
        String event =
                "{\"eventSource\":\"aws:kafka\",\"records\":{\"t-0\":[{\"topic\":\"t\",\"partition\":0,\"offset\":1,"
                        + "\"value\":\"e30=\",\"headers\":[{\"a\":[-61,-87]},{\"b\":\"aGk=\"},{\"a\":[195,169,33]}]}]}}";
        DecodedRecord d = decoder.decode(
                parser.parse(event.getBytes(StandardCharsets.UTF_8)).records().get(0));

        assertThat(d.headers()).containsEntry("a", "é!").containsEntry("b", "hi");
        assertThat(d.key()).isNull();
    }

    /**
     * The parser reads a header list in a streaming pass (byte arrays become one binary node); each shape must
     * decode, or be rejected for its record, exactly as the full tree of the same list is: the tree is the reference.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "[]",
                "[{\"a\":[104,105]},{\"b\":[-61,-87,255,0,-128]},{\"a\":[]}]",
                "[{\"a\":[104,105],\"a\":[120]}]",
                "[{\"a\":\"aGk=\"},{\"b\":null}]",
                "[{\"a\":[104,256]}]",
                "[{\"a\":[104,-129]}]",
                "[{\"a\":[104,1.5,105]}]",
                "[{\"a\":[104,\"x\"]}]",
                "[{\"a\":[104,null]}]",
                "[{\"a\":[104,[1]]}]",
                "[{\"a\":[104,9999999999]}]",
                "[{\"a\":{\"b\":1}}]",
                "[{\"a\":7}]",
                "[7]",
                "[null]",
                "[[1,2]]",
                "{\"a\":[1]}",
                "\"text\"",
                "[{\"traceparent\":[48,48,45,48,97,102,55,54,53,49,57,49,54,99,100,52,51,100,100,56,52,52,56,101,98,50,49,49,99,56,48,51,49,57,99,45,98,55,97,100,54,98,55,49,54,57,50,48,51,51,51,49,45,48,49]}]"
            })
    void streamedHeadersDecodeAsTheirTreeDoes(String headers) throws Exception {
        String event = "{\"eventSource\":\"aws:kafka\",\"records\":{\"t-0\":[{\"topic\":\"t\",\"partition\":0,"
                + "\"offset\":1,\"value\":\"e30=\",\"headers\":" + headers + "}]}}";
        KafkaEventRecord streamed =
                parser.parse(event.getBytes(StandardCharsets.UTF_8)).records().get(0);
        KafkaEventRecord tree =
                new KafkaEventRecord("t", 0, 1, -1, null, null, "e30=", Dispatcher.MAPPER.readTree(headers));

        Object expected = decodedOrReason(tree);
        assertThat(decodedOrReason(streamed)).isEqualTo(expected);
        assertThat(io.sluice.lambda.trace.FunctionTracing.traceId(streamed.headers()))
                .isEqualTo(io.sluice.lambda.trace.FunctionTracing.traceId(tree.headers()));
    }

    private Object decodedOrReason(KafkaEventRecord r) {
        try {
            return decoder.decode(r).headers();
        } catch (InvalidRecordException e) {
            return "invalid: " + e.reason();
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not json|payload is not valid JSON",
                "[]|payload must be a JSON object",
                "{\"eventSource\":\"aws:sqs\",\"records\":{}}|eventSource must be one of",
                "{\"records\":{}}|eventSource must be one of",
                "{\"eventSource\":\"aws:kafka\",\"records\":[]}|records must be an object",
                "{\"eventSource\":\"aws:kafka\",\"records\":{\"t-0\":[{\"partition\":0,\"offset\":1}]}}|records[\"t-0\"][0].topic",
                "{\"eventSource\":\"aws:kafka\",\"records\":{\"t-0\":[{\"topic\":\"t\",\"partition\":0,\"offset\":\"x\"}]}}|.offset must be an integer",
                "{\"eventSource\":\"aws:kafka\",\"records\":{\"t-0\":[{\"topic\":\"t\",\"partition\":-1,\"offset\":1}]}}|.partition must be in"
            })
    void rejectsWhatIsNotAKafkaEvent(String caseSpec) {
        String[] parts = caseSpec.split("\\|");
        assertThatThrownBy(() -> parser.parse(parts[0].getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining(parts[1]);
    }

    @ParameterizedTest
    @CsvSource({
        "CREATE_TIME,CREATE_TIME", "LOG_APPEND_TIME,LOG_APPEND_TIME", "NO_TIMESTAMP_TYPE,NO_TIMESTAMP_TYPE",
        "CreateTime,CREATE_TIME", "LogAppendTime,LOG_APPEND_TIME", "NoTimestampType,NO_TIMESTAMP_TYPE",
        "SOMETHING_NEW,SOMETHING_NEW"
    })
    void readsTimestampTypesByTheirAwsNames(String sent, String read) {
        String event = "{\"eventSource\":\"SelfManagedKafka\",\"records\":{\"t-0\":[{\"topic\":\"t\",\"partition\":0,"
                + "\"offset\":1,\"timestamp\":-1,\"timestampType\":\"" + sent
                + "\",\"value\":\"e30=\",\"headers\":[]}]}}";

        assertThat(parser.parse(event.getBytes(StandardCharsets.UTF_8))
                        .records()
                        .get(0)
                        .timestampType())
                .isEqualTo(read);
    }

    @Test
    void aRecordWithoutTimestampTypeHasNone() {
        String event =
                "{\"eventSource\":\"aws:kafka\",\"records\":{\"t-0\":[{\"topic\":\"t\",\"partition\":0,\"offset\":1}]}}";

        assertThat(parser.parse(event.getBytes(StandardCharsets.UTF_8))
                        .records()
                        .get(0)
                        .timestampType())
                .isNull();
    }

    @Test
    void anEmptyEventHasNoRecords() {
        assertThat(parser.parse("{\"eventSource\":\"SelfManagedKafka\",\"records\":{}}"
                                .getBytes(StandardCharsets.UTF_8))
                        .records())
                .isEmpty();
    }
}
