package io.sluice.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.sluice.lambda.dedupe.DedupeStore;
import io.sluice.lambda.record.RoutedRecord;
import io.sluice.lambda.route.RouteTable;
import io.sluice.lambda.target.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Round trips through aws-lambda-java-events' KafkaEvent: the same event shape as an MSK event source mapping. */
class KafkaEventCompatTest {

    /** Writes byte[] the way Lambda does in Kafka headers: an array of (signed) byte values. */
    private static final ObjectMapper AWS_STYLE = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .registerModule(new SimpleModule().addSerializer(byte[].class, new StdSerializer<>(byte[].class) {
                private static final long serialVersionUID = 1L;

                @Override
                public void serialize(byte[] value, JsonGenerator g, SerializerProvider p) throws IOException {
                    g.writeStartArray();
                    for (byte b : value) {
                        g.writeNumber(b);
                    }
                    g.writeEndArray();
                }
            }));

    private final FakeTarget sink = new FakeTarget("sink");
    private final Dispatcher dispatcher = new Dispatcher(
            RouteTable.fromJson(
                    "{\"targets\":{\"sink\":{\"type\":\"log\"}},\"default\":[\"sink\"]}", Dispatcher.MAPPER),
            Map.<String, Target>of("sink", sink),
            DedupeStore.none());

    @Test
    void theAwsFixtureReadsAsKafkaEvent() throws IOException {
        KafkaEvent event = AWS_STYLE.readValue(Fixtures.bytes("events/msk-docs-example.json"), KafkaEvent.class);

        KafkaEvent.KafkaEventRecord r = event.getRecords().get("mytopic-0").get(0);
        assertThat(event.getEventSource()).isEqualTo("aws:kafka");
        assertThat(r.getOffset()).isEqualTo(15L);
        assertThat(new String(r.getHeaders().get(0).get("headerKey"), StandardCharsets.UTF_8))
                .isEqualTo("headerValue");
    }

    @Test
    void ourBatchFixtureReadsAsKafkaEventAndRoundTripsToTheSameResponse() throws IOException {
        byte[] fixture = Fixtures.bytes("events/telemetry-batch.json");
        KafkaEvent event = AWS_STYLE.readValue(fixture, KafkaEvent.class);
        assertThat(event.getRecords().get("mt-c300-1").get(0).getOffset())
                .as("string offset read as a long")
                .isEqualTo(20L);

        byte[] viaAws = AWS_STYLE.writeValueAsBytes(event);

        assertThat(dispatcher.dispatch(viaAws)).isEqualTo(dispatcher.dispatch(fixture));
    }

    @Test
    void aKafkaEventBuiltWithTheAwsLibraryIsDispatched() throws IOException {
        String value = "{\"eventId\":\"e-9\",\"code\":300,\"truckId\":\"T-9\",\"timestamp\":1732900000000,\"seq\":4}";
        KafkaEvent.KafkaEventRecord record = KafkaEvent.KafkaEventRecord.builder()
                .withTopic("mt-c400")
                .withPartition(3)
                .withOffset(42L)
                .withTimestamp(1732900000001L)
                .withTimestampType("CREATE_TIME")
                .withKey(Base64.getEncoder().encodeToString("300:T-9".getBytes(StandardCharsets.UTF_8)))
                .withValue(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)))
                .withHeaders(List.of(Map.of("correlation-id", "corr-é".getBytes(StandardCharsets.UTF_8))))
                .build();
        KafkaEvent event = KafkaEvent.builder()
                .withEventSource("SelfManagedKafka")
                .withRecords(Map.of("mt-c400-3", List.of(record)))
                .build();

        for (ObjectMapper writer : List.of(AWS_STYLE, new ObjectMapper())) { // int arrays, and Jackson's base64 byte[]
            sink.calls.clear();
            DispatchResponse response = dispatcher.dispatch(writer.writeValueAsBytes(event));

            assertThat(response.batchItemFailures()).isEmpty();
            assertThat(response.invalidRecords()).isEmpty();
            RoutedRecord routed = sink.calls.get(0).get(0);
            assertThat(routed.id()).isEqualTo(new RecordId("mt-c400-3", 42L));
            assertThat(routed.correlationId()).isEqualTo("corr-é");
            assertThat(routed.key()).isEqualTo("300:T-9");
            assertThat(routed.seq()).isEqualTo(4L);
        }
    }
}
