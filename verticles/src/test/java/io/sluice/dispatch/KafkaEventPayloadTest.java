package io.sluice.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.record.InRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hand-written event against a tree built with Jackson's data binding from the same records (the contract
 * {@code EsmPayloadIT} checks against AWS's example): equal as JSON, for random and awkward records.
 */
@Timeout(60)
class KafkaEventPayloadTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void theEventEqualsTheReferenceTreeForRandomAndAwkwardRecords() throws Exception {
        Random rnd = new Random(42);
        String[] names = {
            "eventId", "quote\"back\\slash\u0001\u001f", "ünïcødé-名前", "emoji-\uD83D\uDE00", "", "tab\tnew\nline"
        };
        for (int round = 0; round < 200; round++) {
            List<InRecord> records = new ArrayList<>();
            int n = 1 + rnd.nextInt(40);
            for (int i = 0; i < n; i++) {
                List<InRecord.Header> headers = new ArrayList<>();
                for (int h = rnd.nextInt(4); h > 0; h--) {
                    byte[] v = rnd.nextInt(5) == 0 ? null : bytes(rnd, rnd.nextInt(20));
                    headers.add(new InRecord.Header(names[rnd.nextInt(names.length)], v));
                }
                long offset = rnd.nextInt(3) == 0 ? Long.MAX_VALUE - rnd.nextInt(10) : rnd.nextInt(1_000_000);
                long ts = rnd.nextInt(10) == 0 ? Long.MIN_VALUE : rnd.nextInt(10) == 0 ? -1 : 1_700_000_000_000L + i;
                records.add(new InRecord(
                        rnd.nextBoolean() ? "telemetry.a_b-c" : "t",
                        rnd.nextInt(3),
                        offset,
                        ts,
                        new String[] {"CREATE_TIME", "LOG_APPEND_TIME", "NO_TIMESTAMP_TYPE"}[rnd.nextInt(3)],
                        rnd.nextInt(4) == 0 ? null : bytes(rnd, rnd.nextInt(12)),
                        rnd.nextInt(6) == 0 ? null : bytes(rnd, rnd.nextInt(300)),
                        List.copyOf(headers),
                        1,
                        0));
            }
            String arn = round % 2 == 0 ? null : "arn:aws:kafka:us-east-1:123456789012:cluster/x/\"y\"";
            int attempt = round % 3 == 0 ? 1 + round % 7 : 1;
            byte[] built = new KafkaEventPayload("b-1:9094,b-2:9094", arn).build(new ArrayList<>(records), attempt);
            ObjectNode ref = reference("b-1:9094,b-2:9094", arn, records);
            if (attempt > 1) {
                ref.put(KafkaEventPayload.DELIVERY_ATTEMPT_FIELD, attempt);
            }
            JsonNode expected = MAPPER.readTree(MAPPER.writeValueAsBytes(ref));
            assertThat(MAPPER.readTree(built).equals(expected))
                    .as("round %d: %s%nexpected %s", round, new String(built, StandardCharsets.UTF_8), expected)
                    .isTrue();
            assertThat(new String(built, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8))
                    .as("valid UTF-8")
                    .isEqualTo(built);
        }
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** The event as data binding builds it: partitions in first-appearance order, each sorted by offset. */
    private static ObjectNode reference(String bootstrap, String arn, List<InRecord> records) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("eventSource", arn == null ? "SelfManagedKafka" : "aws:kafka");
        if (arn != null) {
            root.put("eventSourceArn", arn);
        }
        root.put("bootstrapServers", bootstrap);
        ObjectNode parts = root.putObject("records");
        List<InRecord> sorted = new ArrayList<>(records);
        sorted.sort(java.util.Comparator.comparingLong(InRecord::offset)); // stable: lane order kept for equal offsets
        for (InRecord r : records) {
            String key = r.topic() + "-" + r.partition();
            if (parts.has(key)) {
                continue;
            }
            ArrayNode arr = parts.putArray(key);
            for (InRecord s : sorted) {
                if ((s.topic() + "-" + s.partition()).equals(key)) {
                    arr.add(record(s));
                }
            }
        }
        return root;
    }

    private static ObjectNode record(InRecord r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("topic", r.topic())
                .put("partition", r.partition())
                .put("offset", r.offset())
                .put("timestamp", r.timestamp())
                .put("timestampType", r.timestampType());
        if (r.key() != null) {
            o.put("key", Base64.getEncoder().encodeToString(r.key()));
        }
        if (r.value() != null) {
            o.put("value", Base64.getEncoder().encodeToString(r.value()));
        }
        ArrayNode hs = o.putArray("headers");
        for (InRecord.Header h : r.headers()) {
            ArrayNode bytes = hs.addObject().putArray(h.name());
            if (h.value() != null) {
                for (byte b : h.value()) {
                    bytes.add((int) b);
                }
            }
        }
        return o;
    }
}
