package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.consumer.RecordConversion;
import io.sluice.dispatch.KafkaEventPayload;
import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.embedded.EmbeddedKafkaOptions;
import io.sluice.lambda.Dispatcher;
import io.sluice.lambda.RecordId;
import io.sluice.lambda.event.KafkaEventBatch;
import io.sluice.lambda.event.KafkaEventParser;
import io.sluice.lambda.event.KafkaEventRecord;
import io.sluice.lambda.record.DecodedRecord;
import io.sluice.lambda.record.RecordDecoder;
import io.sluice.record.InRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Lambda payload Sluice builds from records fetched from a real broker, compared field by field with the
 * example event of an event source mapping in AWS's documentation, then read by the function's own parser and
 * by AWS's {@link KafkaEvent} (Jackson, as a Java function behind an event source mapping reads it).
 *
 * <p>{@code esm/aws-kafka-event-example.json} is the "Example event" of the AWS Lambda Developer Guide, "Using
 * Lambda with Amazon MSK": https://docs.aws.amazon.com/lambda/latest/dg/with-msk.html (the self-managed Kafka
 * example, https://docs.aws.amazon.com/lambda/latest/dg/with-kafka.html, is the same event with
 * {@code "eventSource":"SelfManagedKafka"} and no {@code eventSourceArn}).
 *
 * <p>Header bytes: the example's are all ASCII, so it cannot tell signed from unsigned. An event source mapping
 * writes Java's signed bytes ({@code [..., -61, -85]} for "ë": aws-powertools/powertools-lambda-python#6862; the
 * AWS Go and .NET event types moved to int8/sbyte for it: aws/aws-lambda-go#506, aws/aws-lambda-dotnet#1476), and
 * so does Sluice. A null key is left out, as in aws-lambda-java-libs' {@code kafka_event.json}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EsmPayloadIT {
    private static final String CREATE_TOPIC = "esm-create-time";
    private static final int CREATE_PARTITION = 1; // not 0: the records key must carry the real partition
    private static final String APPEND_TOPIC = "esm-log-append-time";
    private static final String ARN = "arn:aws:kafka:us-east-1:123456789012:cluster/sluice-it/esm-payload";
    private static final long PRODUCED_TS = 1_545_084_650_987L; // the example's timestamp: 2018, far from now
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedKafkaCluster cluster;
    private static long producedAtMs;
    private static final List<Sent> SENT = sent();
    private static final Map<String, List<ConsumerRecord<byte[], byte[]>>> FETCHED = new HashMap<>();

    /** What the test produced, in order, to each topic. */
    private record Sent(byte[] key, byte[] value, List<Header> headers) {}

    @BeforeAll
    @Timeout(value = 150, unit = TimeUnit.SECONDS) // the class-level bound covers the test methods only
    static void produceAndFetch() throws Exception {
        cluster = EmbeddedKafkaCluster.start(EmbeddedKafkaOptions.builder()
                .logDirectory(Path.of("target", "it-broker-logs", String.valueOf(System.nanoTime())))
                .build());
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic(CREATE_TOPIC, 2, (short) 1)
                                    .configs(Map.of(
                                            "message.timestamp.type",
                                            "CreateTime",
                                            "retention.ms",
                                            "-1")), // the records carry a 2018 timestamp
                            new NewTopic(APPEND_TOPIC, 1, (short) 1)
                                    .configs(Map.of("message.timestamp.type", "LogAppendTime"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        producedAtMs = System.currentTimeMillis();
        Map<String, Object> props = Map.of("bootstrap.servers", cluster.bootstrapServers(), "acks", "all");
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Sent s : SENT) {
                p.send(new ProducerRecord<>(CREATE_TOPIC, CREATE_PARTITION, PRODUCED_TS, s.key, s.value, s.headers))
                        .get(30, TimeUnit.SECONDS);
                p.send(new ProducerRecord<>(APPEND_TOPIC, 0, PRODUCED_TS, s.key, s.value, s.headers))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        FETCHED.put(CREATE_TOPIC, fetch(new TopicPartition(CREATE_TOPIC, CREATE_PARTITION)));
        FETCHED.put(APPEND_TOPIC, fetch(new TopicPartition(APPEND_TOPIC, 0)));
    }

    @AfterAll
    static void stopBroker() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theExampleEventPassesTheShapeChecks() throws IOException {
        JsonNode example = example();

        EsmShape.assertEvent(example, "the AWS example");
        assertThat(example.get("eventSourceArn"))
                .as("the example is an MSK event")
                .isNotNull();
    }

    @Test
    void createTimeRecordsMatchTheExampleFieldByField() throws IOException {
        JsonNode event = tree(payload(CREATE_TOPIC, ARN));
        JsonNode example = example();

        EsmShape.assertEvent(event, "Sluice's event");
        EsmShape.assertSameFieldsAndTypes(event, example, "top level");
        assertThat(event.get("eventSource").textValue()).isEqualTo("aws:kafka");
        assertThat(event.get("eventSourceArn").textValue()).isEqualTo(ARN);
        assertThat(event.get("bootstrapServers").textValue()).isEqualTo(cluster.bootstrapServers());
        assertThat(fieldNames(event.get("records"))).containsExactly(CREATE_TOPIC + "-" + CREATE_PARTITION);

        JsonNode exampleRecord = example.get("records").elements().next().get(0);
        JsonNode records = event.get("records").get(CREATE_TOPIC + "-" + CREATE_PARTITION);
        List<ConsumerRecord<byte[], byte[]>> fetched = FETCHED.get(CREATE_TOPIC);
        assertThat(records).hasSize(SENT.size());
        for (int i = 0; i < SENT.size(); i++) {
            JsonNode r = records.get(i);
            String where = "record " + i;
            if (SENT.get(i).key == null) {
                Set<String> withoutKey = fieldNames(exampleRecord);
                withoutKey.remove("key");
                assertThat(fieldNames(r))
                        .as(where + ": a null key is left out")
                        .containsExactlyInAnyOrderElementsOf(withoutKey);
            } else {
                EsmShape.assertSameFieldsAndTypes(r, exampleRecord, where);
            }
            assertThat(r.get("timestampType").textValue())
                    .as(where)
                    .isEqualTo(exampleRecord.get("timestampType").textValue());
            assertThat(r.get("timestamp").longValue())
                    .as(where + ": the producer's timestamp")
                    .isEqualTo(PRODUCED_TS);
            assertRecord(r, fetched.get(i), SENT.get(i), where);
        }
    }

    @Test
    void logAppendTimeRecordsCarryTheBrokersTimestampAndItsAwsName() throws IOException {
        JsonNode event = tree(payload(APPEND_TOPIC, ARN));

        EsmShape.assertEvent(event, "Sluice's event");
        JsonNode records = event.get("records").get(APPEND_TOPIC + "-0");
        List<ConsumerRecord<byte[], byte[]>> fetched = FETCHED.get(APPEND_TOPIC);
        assertThat(records).hasSize(SENT.size());
        for (int i = 0; i < SENT.size(); i++) {
            JsonNode r = records.get(i);
            assertThat(r.get("timestampType").textValue()).as("record " + i).isEqualTo("LOG_APPEND_TIME");
            assertThat(r.get("timestamp").longValue())
                    .as("record %d: the broker's timestamp", i)
                    .isGreaterThanOrEqualTo(producedAtMs - 1_000)
                    .isNotEqualTo(PRODUCED_TS);
            assertRecord(r, fetched.get(i), SENT.get(i), "record " + i);
        }
    }

    @Test
    void theSelfManagedEventIsTheSameWithoutTheArn() throws IOException {
        JsonNode msk = tree(payload(CREATE_TOPIC, ARN));
        JsonNode selfManaged = tree(payload(CREATE_TOPIC, null));

        EsmShape.assertEvent(selfManaged, "Sluice's self-managed event");
        assertThat(selfManaged.get("eventSource").textValue()).isEqualTo("SelfManagedKafka");
        assertThat(fieldNames(selfManaged)).containsExactlyInAnyOrder("eventSource", "bootstrapServers", "records");
        assertThat(selfManaged.get("records")).isEqualTo(msk.get("records"));
    }

    @Test
    void theFunctionsParserReadsThePayload() throws Exception {
        for (String topic : List.of(CREATE_TOPIC, APPEND_TOPIC)) {
            int partition = topic.equals(CREATE_TOPIC) ? CREATE_PARTITION : 0;
            KafkaEventBatch batch = new KafkaEventParser(Dispatcher.MAPPER).parse(payload(topic, ARN));

            assertThat(batch.eventSource()).isEqualTo("aws:kafka");
            assertThat(batch.eventSourceArn()).isEqualTo(ARN);
            assertThat(batch.records()).hasSize(SENT.size());
            for (int i = 0; i < SENT.size(); i++) {
                KafkaEventRecord r = batch.records().get(i);
                ConsumerRecord<byte[], byte[]> c = FETCHED.get(topic).get(i);
                Sent s = SENT.get(i);
                assertThat(r.id()).isEqualTo(new RecordId(topic + "-" + partition, c.offset()));
                assertThat(r.timestamp()).isEqualTo(c.timestamp());
                assertThat(r.timestampType()).isEqualTo(topic.equals(CREATE_TOPIC) ? "CREATE_TIME" : "LOG_APPEND_TIME");
                DecodedRecord d = new RecordDecoder().decode(r);
                assertThat(d.key()).isEqualTo(s.key == null ? null : new String(s.key, StandardCharsets.UTF_8));
                assertThat(d.value()).isEqualTo(s.value);
                Map<String, String> expected = new HashMap<>(); // the parser keeps the last of repeated names
                s.headers.forEach(h ->
                        expected.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8)));
                assertThat(d.headers()).isEqualTo(expected);
            }
        }
    }

    @Test
    void awsKafkaEventReadsThePayload() throws Exception {
        ObjectMapper aws = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        for (String topic : List.of(CREATE_TOPIC, APPEND_TOPIC)) {
            int partition = topic.equals(CREATE_TOPIC) ? CREATE_PARTITION : 0;
            KafkaEvent event = aws.readValue(payload(topic, ARN), KafkaEvent.class);

            assertThat(event.getEventSource()).isEqualTo("aws:kafka");
            assertThat(event.getEventSourceArn()).isEqualTo(ARN);
            assertThat(event.getBootstrapServers()).isEqualTo(cluster.bootstrapServers());
            assertThat(event.getRecords()).containsOnlyKeys(topic + "-" + partition);
            List<KafkaEvent.KafkaEventRecord> records = event.getRecords().get(topic + "-" + partition);
            assertThat(records).hasSize(SENT.size());
            for (int i = 0; i < SENT.size(); i++) {
                KafkaEvent.KafkaEventRecord r = records.get(i);
                ConsumerRecord<byte[], byte[]> c = FETCHED.get(topic).get(i);
                Sent s = SENT.get(i);
                assertThat(r.getTopic()).isEqualTo(topic);
                assertThat(r.getPartition()).isEqualTo(partition);
                assertThat(r.getOffset()).isEqualTo(c.offset());
                assertThat(r.getTimestamp()).isEqualTo(c.timestamp());
                assertThat(r.getTimestampType())
                        .isEqualTo(topic.equals(CREATE_TOPIC) ? "CREATE_TIME" : "LOG_APPEND_TIME");
                assertThat(r.getKey() == null ? null : Base64.getDecoder().decode(r.getKey()))
                        .isEqualTo(s.key);
                assertThat(Base64.getDecoder().decode(r.getValue())).isEqualTo(s.value);
                assertThat(r.getHeaders()).hasSize(s.headers.size());
                for (int h = 0; h < s.headers.size(); h++) {
                    Header want = s.headers.get(h);
                    assertThat(r.getHeaders().get(h)).containsOnlyKeys(want.key());
                    assertThat(r.getHeaders().get(h).get(want.key()))
                            .isEqualTo(want.value() == null ? new byte[0] : want.value());
                }
            }
        }
    }

    /** Values of one record of Sluice's event against what was produced and what the consumer fetched. */
    private static void assertRecord(JsonNode r, ConsumerRecord<byte[], byte[]> fetched, Sent sent, String where) {
        assertThat(r.get("topic").textValue()).as(where).isEqualTo(fetched.topic());
        assertThat(r.get("partition").intValue()).as(where).isEqualTo(fetched.partition());
        assertThat(r.get("offset").longValue()).as(where).isEqualTo(fetched.offset());
        assertThat(r.get("timestamp").longValue()).as(where).isEqualTo(fetched.timestamp());
        assertThat(EsmShape.AWS_TIMESTAMP_TYPES)
                .as(where + ": timestampType")
                .contains(r.get("timestampType").textValue());
        assertThat(r.has("key") ? Base64.getDecoder().decode(r.get("key").textValue()) : null)
                .as(where + ": key")
                .isEqualTo(sent.key);
        assertThat(Base64.getDecoder().decode(r.get("value").textValue()))
                .as(where + ": value")
                .isEqualTo(sent.value);
        JsonNode headers = r.get("headers");
        assertThat(headers).as(where + ": headers").hasSize(sent.headers.size());
        for (int h = 0; h < sent.headers.size(); h++) {
            Header want = sent.headers.get(h);
            JsonNode entry = headers.get(h);
            assertThat(fieldNames(entry)).as(where + ": header " + h).containsExactly(want.key());
            // a null header value is an empty array (the record and the header name stay visible)
            byte[] expected = want.value() == null ? new byte[0] : want.value();
            assertThat(EsmShape.bytes(entry.get(want.key())))
                    .as(where + ": header " + want.key())
                    .isEqualTo(expected);
        }
    }

    private static byte[] payload(String topic, String arn) {
        List<InRecord> in = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : FETCHED.get(topic)) {
            in.add(RecordConversion.toInRecord(r, 1, System.currentTimeMillis()));
        }
        return new KafkaEventPayload(cluster.bootstrapServers(), arn).build(in);
    }

    private static List<ConsumerRecord<byte[], byte[]>> fetch(TopicPartition tp) {
        Map<String, Object> props =
                Map.of("bootstrap.servers", cluster.bootstrapServers(), "enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (out.size() < SENT.size() && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        assertThat(out).as("records fetched from " + tp).hasSize(SENT.size());
        return out;
    }

    /** A null key; several headers (a repeated name, a null value, non-ASCII and binary bytes); all 256 byte values. */
    private static List<Sent> sent() {
        byte[] all = new byte[256];
        byte[] reversed = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
            reversed[255 - i] = (byte) i;
        }
        return List.of(
                new Sent(null, utf8("{\"eventId\":\"e-0\"}"), List.of()),
                new Sent(
                        utf8("recordKey"),
                        utf8("{\"key\":\"value\"}"),
                        List.of(
                                new RecordHeader("headerKey", utf8("headerValue")),
                                new RecordHeader("empty", null),
                                new RecordHeader("utf8", utf8("hé ✓ ë")),
                                new RecordHeader("binary", new byte[] {0, 1, 127, -128, -1}),
                                new RecordHeader("headerKey", utf8("second")))),
                new Sent(all, reversed, List.of(new RecordHeader("correlation-id", utf8("corr-é")))));
    }

    private static JsonNode example() throws IOException {
        try (InputStream in = EsmPayloadIT.class.getResourceAsStream("/esm/aws-kafka-event-example.json")) {
            assertThat(in)
                    .as("esm/aws-kafka-event-example.json on the test classpath")
                    .isNotNull();
            return JSON.readTree(in);
        }
    }

    private static JsonNode tree(byte[] payload) throws IOException {
        return JSON.readTree(payload);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
