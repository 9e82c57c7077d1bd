package io.sluice.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.lambda.dedupe.DedupeStore;
import io.sluice.lambda.dedupe.LruDedupeStore;
import io.sluice.lambda.record.RoutedRecord;
import io.sluice.lambda.route.RouteTable;
import io.sluice.lambda.target.RoutedRecordsJson;
import io.sluice.lambda.target.Target;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DispatcherTest {

    private static final byte[] BATCH = Fixtures.bytes("events/telemetry-batch.json");
    private final RouteTable routes = RouteTable.fromJson(Fixtures.text("routes-basic.json"), Dispatcher.MAPPER);
    private final FakeTarget sink = new FakeTarget("sink");
    private final FakeTarget audit = new FakeTarget("audit");

    private Dispatcher dispatcher(DedupeStore dedupe) {
        return new Dispatcher(routes, Map.<String, Target>of("sink", sink, "audit", audit), dedupe);
    }

    @Test
    void validRecordsAreRoutedByCodeInOneCallPerTarget() {
        DispatchResponse response = dispatcher(DedupeStore.none()).dispatch(BATCH);

        assertThat(response.batchItemFailures()).isEmpty();
        assertThat(sink.calls).hasSize(1);
        assertThat(sink.calls.get(0)).extracting(RoutedRecord::eventId).containsExactly("e-1", "e-2");
        assertThat(audit.calls).hasSize(1);
        assertThat(audit.calls.get(0)).extracting(RoutedRecord::eventId).containsExactly("e-2");
    }

    @Test
    void invalidRecordsAreReportedWithReasonsAndNeverSent() {
        DispatchResponse response = dispatcher(DedupeStore.none()).dispatch(BATCH);

        assertThat(response.invalidRecords())
                .extracting(InvalidRecord::id)
                .containsExactly(
                        new RecordId("mt-c300-0", 17),
                        new RecordId("mt-c300-0", 18),
                        new RecordId("mt-c300-1", 20),
                        new RecordId("mt-c300-1", 21),
                        new RecordId("mt-c300-1", 22),
                        new RecordId("mt-c300-1", 23));
        assertThat(response.invalidRecords())
                .extracting(InvalidRecord::reason)
                .satisfiesExactly(
                        r -> assertThat(r).startsWith("value is not valid JSON"),
                        r -> assertThat(r).startsWith("field 'code' must be an integer"),
                        r -> assertThat(r).isEqualTo("field 'eventId' is required"),
                        r -> assertThat(r).isEqualTo("no route for code 999"),
                        r -> assertThat(r).startsWith("field 'timestamp' must be epoch millis"),
                        r -> assertThat(r).isEqualTo("record has no value"));
    }

    @Test
    void routedRecordFollowsTheContract() throws IOException {
        dispatcher(DedupeStore.none()).dispatch(BATCH);

        JsonNode array = Dispatcher.MAPPER.readTree(RoutedRecordsJson.toJsonArray(sink.calls.get(0)));
        JsonNode first = array.get(0);
        assertThat(iterableFieldNames(first))
                .containsExactly(
                        "eventId",
                        "code",
                        "truckId",
                        "timestamp",
                        "seq",
                        "key",
                        "topic",
                        "partition",
                        "offset",
                        "idempotencyKey",
                        "correlationId",
                        "event");
        assertThat(first.get("eventId").asText()).isEqualTo("e-1");
        assertThat(first.get("code").intValue()).isEqualTo(301);
        assertThat(first.get("truckId").asText()).isEqualTo("T-00042");
        assertThat(first.get("timestamp").longValue()).isEqualTo(1732900000000L);
        assertThat(first.get("seq").longValue()).isEqualTo(17L);
        assertThat(first.get("key").asText()).isEqualTo("301:T-00042");
        assertThat(first.get("topic").asText()).isEqualTo("mt-c300");
        assertThat(first.get("partition").intValue()).isZero();
        assertThat(first.get("offset").longValue()).isEqualTo(15L);
        assertThat(first.get("idempotencyKey").asText()).isEqualTo("e-1");
        assertThat(first.get("correlationId").asText()).isEqualTo("corr-1");
        assertThat(first.get("event").get("speed").doubleValue()).isEqualTo(88.5);

        JsonNode second = array.get(1);
        assertThat(second.has("seq")).as("seq omitted when absent").isFalse();
        assertThat(second.get("key").isNull()).isTrue();
        assertThat(second.get("correlationId").isNull()).isTrue();
    }

    @Test
    void aFailedTargetFailsExactlyItsRecordsAndTheResponseHasTheEsmShape() throws IOException {
        audit.failing();

        byte[] json = dispatcher(DedupeStore.none()).dispatch(BATCH).toJson();

        JsonNode root = Dispatcher.MAPPER.readTree(json);
        assertThat(root.get("batchItemFailures").toString())
                .isEqualTo("[{\"itemIdentifier\":{\"topic-partition\":\"mt-c300-0\",\"offset\":16}}]");
        assertThat(root.get("invalidRecords").get(0).toString())
                .startsWith(
                        "{\"itemIdentifier\":{\"topic-partition\":\"mt-c300-0\",\"offset\":17},\"reason\":\"value is not valid JSON");
        assertThat(root.get("invalidRecords")).hasSize(6);
    }

    @Test
    void forcedFailuresAreReportedWithoutCallingTheTarget() {
        DispatchResponse response = dispatcher(DedupeStore.none())
                .dispatch(BATCH, Set.of(new RecordId("mt-c300-0", 15), new RecordId("mt-c300-0", 17)), 0L);

        assertThat(response.batchItemFailures())
                .as("18 has the key of the failed 17: held back by the order fence")
                .containsExactly(
                        new RecordId("mt-c300-0", 15), new RecordId("mt-c300-0", 17), new RecordId("mt-c300-0", 18));
        assertThat(sink.calls.get(0)).extracting(RoutedRecord::eventId).containsExactly("e-2");
        assertThat(response.invalidRecords()).hasSize(4);
    }

    @Test
    void dedupeSkipsOnlyKeysWhoseTargetCallSucceeded() {
        Dispatcher d = dispatcher(new LruDedupeStore(100));
        sink.failing();

        assertThat(d.dispatch(BATCH).batchItemFailures())
                .containsExactly(new RecordId("mt-c300-0", 15), new RecordId("mt-c300-0", 16));
        sink.succeeding();
        assertThat(d.dispatch(BATCH).batchItemFailures()).isEmpty();
        assertThat(d.dispatch(BATCH).batchItemFailures()).isEmpty();

        assertThat(sink.calls).hasSize(2).allSatisfy(c -> assertThat(c).hasSize(2));
        assertThat(audit.calls)
                .as("audit succeeded the first time; e-2 is never sent to it again")
                .hasSize(1);
    }

    @Test
    @Timeout(10)
    void targetsAreCalledConcurrently() {
        CompletableFuture<Void> auditCalled = new CompletableFuture<>();
        // the sink only answers once the audit target has been called: a sequential dispatcher would hit the deadline
        sink.behaviour = r -> auditCalled;
        audit.behaviour = r -> {
            auditCalled.complete(null);
            return CompletableFuture.completedFuture(null);
        };

        DispatchResponse response =
                dispatcher(DedupeStore.none()).dispatch(BATCH, Set.of(), System.currentTimeMillis() + 3_000);

        assertThat(response.batchItemFailures()).isEmpty();
    }

    @Test
    @Timeout(10)
    void callsStillRunningAtTheDeadlineAreFailures() {
        CompletableFuture<Void> never = new CompletableFuture<>();
        sink.behaviour = r -> never;
        long start = System.currentTimeMillis();

        DispatchResponse response = dispatcher(DedupeStore.none()).dispatch(BATCH, Set.of(), start + 300);

        assertThat(System.currentTimeMillis() - start).isLessThan(3_000);
        assertThat(response.batchItemFailures())
                .containsExactly(new RecordId("mt-c300-0", 15), new RecordId("mt-c300-0", 16));
        assertThat(never).isCancelled();
    }

    @Test
    void responseParsesOffsetsGivenAsStringsAndEmitsNumbers() {
        DispatchResponse parsed = DispatchResponse.parse(
                ("{\"batchItemFailures\":[{\"itemIdentifier\":"
                                + "{\"topic-partition\":\"t-0\",\"offset\":\"15\"}},{\"itemIdentifier\":{\"topic-partition\":\"t-1\",\"offset\":7}}]}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Dispatcher.MAPPER);

        assertThat(parsed.batchItemFailures()).containsExactly(new RecordId("t-0", 15), new RecordId("t-1", 7));
        assertThat(parsed.invalidRecords()).isEmpty();
        assertThat(new String(parsed.toJson(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":{\"topic-partition\":\"t-0\",\"offset\":15}},"
                        + "{\"itemIdentifier\":{\"topic-partition\":\"t-1\",\"offset\":7}}],\"invalidRecords\":[]}");
    }

    @Test
    void lruForgetsTheEldestKey() {
        LruDedupeStore lru = new LruDedupeStore(2);
        lru.complete(List.of("a"));
        lru.complete(List.of("b"));
        assertThat(lru.delivered("a")).isTrue();
        lru.complete(List.of("c"));
        assertThat(lru.delivered("b")).as("b was least recently used").isFalse();
        assertThat(lru.delivered("a")).isTrue();
        assertThat(lru.size()).isEqualTo(2);
    }

    private static List<String> iterableFieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
