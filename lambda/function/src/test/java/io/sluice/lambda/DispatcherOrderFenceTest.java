package io.sluice.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.lambda.dedupe.DedupeStore;
import io.sluice.lambda.record.RoutedRecord;
import io.sluice.lambda.route.RouteTable;
import io.sluice.lambda.route.TargetSpec;
import io.sluice.lambda.route.UnknownCodePolicy;
import io.sluice.lambda.target.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-key order fence: after a failed record, no later record of its key (same topic-partition) is
 * delivered or acknowledged in the same invocation. Events carry several partitions, as Sluice's multi-lane
 * invocations and an event source mapping's do.
 */
@Timeout(10)
class DispatcherOrderFenceTest {

    private final FakeTarget sink = new FakeTarget("sink");
    private final FakeTarget audit = new FakeTarget("audit");
    /** 301 to the sink only, 302 to the audit target only. */
    private final RouteTable routes = new RouteTable(
            Map.of("sink", TargetSpec.log("sink"), "audit", TargetSpec.log("audit")),
            Map.of(301, List.of("sink"), 302, List.of("audit")),
            List.of(),
            UnknownCodePolicy.INVALID);

    private final Dispatcher dispatcher =
            new Dispatcher(routes, Map.<String, Target>of("sink", sink, "audit", audit), DedupeStore.none());

    @Test
    void aForcedFailureHoldsBackTheLaterRecordsOfItsKeyInItsPartitionOnly() {
        Event e = new Event()
                .add("t", 0, 10, "301:T-1", 301, "a-10")
                .add("t", 0, 11, "301:T-1", 301, "a-11")
                .add("t", 0, 12, "301:T-2", 301, "a-12")
                .add("t", 0, 13, "301:T-1", 301, "a-13")
                .add("t", 3, 40, "301:T-1", 301, "b-40")
                .add("u", 0, 7, "301:T-1", 301, "c-7");

        DispatchResponse r = dispatcher.dispatch(e.bytes(), Set.of(new RecordId("t-0", 11)), 0L);

        assertThat(r.batchItemFailures()).containsExactly(new RecordId("t-0", 11), new RecordId("t-0", 13));
        assertThat(delivered(sink))
                .as("T-1's a-13 follows its failed a-11 and is held back; other keys and the "
                        + "same key in other partitions go on")
                .containsExactly("a-10", "a-12", "b-40", "c-7");
        assertThat(r.invalidRecords()).isEmpty();
    }

    @Test
    void recordsWithoutAKeyAreFencedTogetherPerTopicPartition() {
        Event e = new Event()
                .add("t", 0, 1, null, 301, "n-1")
                .add("t", 0, 2, null, 301, "n-2")
                .add("t", 0, 3, "301:T-1", 301, "k-3")
                .add("t", 0, 4, null, 301, "n-4")
                .add("t", 1, 1, null, 301, "m-1");

        DispatchResponse r = dispatcher.dispatch(e.bytes(), Set.of(new RecordId("t-0", 1)), 0L);

        assertThat(r.batchItemFailures())
                .containsExactly(new RecordId("t-0", 1), new RecordId("t-0", 2), new RecordId("t-0", 4));
        assertThat(delivered(sink)).containsExactly("k-3", "m-1");
    }

    @Test
    void aHeldRecordIsReportedFailedNotInvalid() {
        Event e = new Event()
                .add("t", 0, 1, "301:T-1", 301, "a-1")
                .addRaw("t", 0, 2, "301:T-1", "{not json")
                .add("t", 0, 3, "301:T-2", 301, "a-3")
                .addRaw("t", 0, 4, "301:T-2", "{not json");

        DispatchResponse r = dispatcher.dispatch(e.bytes(), Set.of(new RecordId("t-0", 1)), 0L);

        assertThat(r.batchItemFailures())
                .as("offset 2 is judged when it is sent again, after offset 1")
                .containsExactly(new RecordId("t-0", 1), new RecordId("t-0", 2));
        assertThat(r.invalidRecords()).extracting(InvalidRecord::id).containsExactly(new RecordId("t-0", 4));
        assertThat(delivered(sink)).containsExactly("a-3");
    }

    @Test
    void aFailedTargetCallFencesTheKeyEvenWhenItsLaterRecordWentToAnotherTarget() {
        sink.failing();
        Event e = new Event()
                .add("t", 0, 1, "301:T-1", 301, "a-1") // -> sink (fails)
                .add("t", 0, 2, "301:T-1", 302, "a-2") // same key, other code -> audit (succeeds)
                .add("t", 0, 3, "302:T-2", 302, "a-3"); // other key -> audit (succeeds)

        DispatchResponse r = dispatcher.dispatch(e.bytes());

        assertThat(r.batchItemFailures())
                .as("a-2 follows the failed a-1 of its key: acknowledging it would let a "
                        + "caller commit past a-1's key out of order")
                .containsExactly(new RecordId("t-0", 1), new RecordId("t-0", 2));
        assertThat(delivered(audit)).containsExactly("a-2", "a-3");
    }

    @Test
    void aFailedTargetCallWithTheUsualRoutingFailsEveryRecordOfTheKeyAndNothingElse() {
        audit.failing();
        Event e = new Event()
                .add("t", 0, 1, "302:T-1", 302, "a-1")
                .add("t", 0, 2, "301:T-2", 301, "a-2")
                .add("t", 0, 3, "302:T-1", 302, "a-3")
                .add("t", 2, 9, "302:T-1", 302, "b-9");

        DispatchResponse r = dispatcher.dispatch(e.bytes());

        assertThat(r.batchItemFailures())
                .containsExactly(new RecordId("t-0", 1), new RecordId("t-0", 3), new RecordId("t-2", 9));
        assertThat(audit.calls)
                .as("one call per target, the key's records in event order")
                .singleElement()
                .extracting(c -> c.stream().map(RoutedRecord::eventId).toList())
                .isEqualTo(List.of("a-1", "a-3", "b-9"));
        assertThat(delivered(sink)).containsExactly("a-2");
    }

    @Test
    void aForcedFailureTestIsAskedOncePerRecordInEventOrderAndNotForHeldRecords() {
        Event e = new Event()
                .add("t", 0, 1, "301:T-1", 301, "a-1")
                .add("t", 0, 2, "301:T-1", 301, "a-2")
                .add("t", 0, 3, "301:T-2", 301, "a-3")
                .add("t", 5, 1, "301:T-1", 301, "b-1");
        List<RecordId> asked = new ArrayList<>();

        DispatchResponse r = dispatcher.dispatch(
                e.bytes(),
                id -> {
                    asked.add(id);
                    return id.offset() == 1;
                },
                0L);

        assertThat(asked).containsExactly(new RecordId("t-0", 1), new RecordId("t-0", 3), new RecordId("t-5", 1));
        assertThat(r.batchItemFailures())
                .containsExactly(new RecordId("t-0", 1), new RecordId("t-0", 2), new RecordId("t-5", 1));
        assertThat(delivered(sink)).containsExactly("a-3");
    }

    private static List<String> delivered(FakeTarget target) {
        List<String> ids = new ArrayList<>();
        target.calls.forEach(c -> c.forEach(rec -> ids.add(rec.eventId())));
        return ids;
    }

    /** A Lambda Kafka event built record by record; records of one topic-partition are grouped in add order. */
    static final class Event {
        private final ObjectNode root = Dispatcher.MAPPER.createObjectNode().put("eventSource", "aws:kafka");
        private final ObjectNode records = root.putObject("records");

        Event add(String topic, int partition, long offset, String key, int code, String eventId) {
            String value = Dispatcher.MAPPER
                    .createObjectNode()
                    .put("eventId", eventId)
                    .put("code", code)
                    .put("truckId", key == null ? "T-0" : key.substring(key.indexOf(':') + 1))
                    .put("timestamp", 1732900000000L + offset)
                    .put("seq", offset)
                    .toString();
            return addRaw(topic, partition, offset, key, value);
        }

        Event addRaw(String topic, int partition, long offset, String key, String value) {
            String group = topic + "-" + partition;
            ArrayNode list = records.has(group) ? (ArrayNode) records.get(group) : records.putArray(group);
            ObjectNode r = list.addObject()
                    .put("topic", topic)
                    .put("partition", partition)
                    .put("offset", offset)
                    .put("timestamp", 1732900000000L + offset)
                    .put("timestampType", "CREATE_TIME")
                    .put("value", base64(value));
            if (key != null) {
                r.put("key", base64(key));
            }
            r.putArray("headers");
            return this;
        }

        byte[] bytes() {
            return root.toString().getBytes(StandardCharsets.UTF_8);
        }

        private static String base64(String s) {
            return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
