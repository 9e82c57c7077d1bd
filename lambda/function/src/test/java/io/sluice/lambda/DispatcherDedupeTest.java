package io.sluice.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.lambda.dedupe.DedupeStateMachine.Verdict;
import io.sluice.lambda.dedupe.DedupeStore;
import io.sluice.lambda.dedupe.DedupeStoreException;
import io.sluice.lambda.dedupe.LruDedupeStore;
import io.sluice.lambda.record.RoutedRecord;
import io.sluice.lambda.route.RouteTable;
import io.sluice.lambda.target.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dispatcher with a dedupe store: claims, completes, releases, failures reported (never dropped). */
@Timeout(20)
class DispatcherDedupeTest {

    private final RouteTable routes = RouteTable.fromJson(Fixtures.text("routes-basic.json"), Dispatcher.MAPPER);
    private final FakeTarget sink = new FakeTarget("sink");
    private final FakeTarget audit = new FakeTarget("audit");

    private Dispatcher dispatcher(DedupeStore store, boolean onlySuspects) {
        return new Dispatcher(
                routes, Map.<String, Target>of("sink", sink, "audit", audit), store, onlySuspects, 60_000);
    }

    private static final byte[] TWO = Events.first()
            .record(0, 10, "k1", "e-1", false)
            .record(0, 11, "k2", "e-2", false)
            .bytes();

    @Test
    void aRedeliveryToAnotherDispatcherSharingTheStoreIsNotSentAgain() {
        LruDedupeStore shared = new LruDedupeStore(100); // stands for the durable store shared by two containers
        assertThat(dispatcher(shared, false).dispatch(TWO).batchItemFailures()).isEmpty();
        assertThat(dispatcher(shared, false).dispatch(TWO).batchItemFailures()).isEmpty();
        assertThat(sink.calls).hasSize(1);
        assertThat(sink.calls.get(0)).extracting(RoutedRecord::eventId).containsExactly("e-1", "e-2");
    }

    @Test
    void anUnavailableStoreReportsEveryClaimedRecordFailedAndCallsNoTarget() {
        DedupeStore down = new ScriptedStore(Verdict.STORE_UNAVAILABLE);

        DispatchResponse r = dispatcher(down, false).dispatch(TWO);

        assertThat(r.batchItemFailures()).containsExactly(new RecordId("t-0", 10), new RecordId("t-0", 11));
        assertThat(r.invalidRecords()).isEmpty();
        assertThat(sink.calls).isEmpty();
    }

    @Test
    void aLockedKeyFailsItsRecordAndFencesTheLaterRecordsOfItsKeyWhoseLocksAreReleased() {
        byte[] event = Events.first()
                .record(0, 10, "k1", "e-1", false)
                .record(0, 11, "k2", "e-2", false)
                .record(0, 12, "k1", "e-3", false)
                .bytes();
        ScriptedStore store = new ScriptedStore(Verdict.LOCKED, Verdict.DISPATCH, Verdict.DISPATCH);

        DispatchResponse r = dispatcher(store, false).dispatch(event);

        assertThat(r.batchItemFailures()).containsExactly(new RecordId("t-0", 10), new RecordId("t-0", 12));
        assertThat(sink.calls).hasSize(1);
        assertThat(sink.calls.get(0)).extracting(RoutedRecord::eventId).containsExactly("e-2");
        assertThat(store.released).containsExactly("sink|e-3");
        assertThat(store.completed).containsExactly("sink|e-2");
    }

    @Test
    void aFailedTargetCallReleasesItsLocksSoTheRetryDeliversAtOnce() {
        LruDedupeStore store = new LruDedupeStore(100);
        sink.failing();
        assertThat(dispatcher(store, false).dispatch(TWO).batchItemFailures()).hasSize(2);
        sink.succeeding();
        assertThat(dispatcher(store, false).dispatch(TWO).batchItemFailures()).isEmpty();
        assertThat(sink.calls).hasSize(2);
    }

    @Test
    void aCompleteThatFailsAfterDeliveryStillAcknowledgesTheRecords() {
        ScriptedStore store = new ScriptedStore(Verdict.DISPATCH, Verdict.DISPATCH);
        store.completeFails = true;
        assertThat(dispatcher(store, false).dispatch(TWO).batchItemFailures()).isEmpty();
        assertThat(sink.calls).hasSize(1);
    }

    @Test
    void onlySuspectsClaimsSuspectsButStillCompletesFirstDeliveries() {
        ScriptedStore store = new ScriptedStore(Verdict.SKIP_DELIVERED);
        byte[] event = Events.first()
                .record(0, 10, "k1", "e-1", false)
                .record(0, 11, "k2", "e-2", true)
                .bytes();

        DispatchResponse r = dispatcher(store, true).dispatch(event);

        assertThat(r.batchItemFailures()).isEmpty();
        assertThat(store.claimed).as("only the suspect is read").containsExactly("sink|e-2");
        assertThat(sink.calls).hasSize(1);
        assertThat(sink.calls.get(0)).extracting(RoutedRecord::eventId).containsExactly("e-1");
        assertThat(store.completed).as("the first delivery's key is written").containsExactly("sink|e-1");
    }

    @Test
    void aRetriedInvocationMakesEveryRecordASuspect() {
        ScriptedStore store = new ScriptedStore(Verdict.SKIP_DELIVERED, Verdict.DISPATCH);
        byte[] event = Events.attempt(2)
                .record(0, 10, "k1", "e-1", false)
                .record(0, 11, "k2", "e-2", false)
                .bytes();

        assertThat(dispatcher(store, true).dispatch(event).batchItemFailures()).isEmpty();

        assertThat(store.claimed).containsExactly("sink|e-1", "sink|e-2");
        assertThat(sink.calls.get(0)).extracting(RoutedRecord::eventId).containsExactly("e-2");
    }

    @Test
    void storeOffClaimsNothing() {
        assertThat(dispatcher(DedupeStore.none(), true).dispatch(TWO).batchItemFailures())
                .isEmpty();
        assertThat(dispatcher(DedupeStore.none(), false)
                        .dispatch(TWO, Set.of(), 0L)
                        .batchItemFailures())
                .isEmpty();
        assertThat(sink.calls).hasSize(2);
    }

    /** Answers claims from a script (the last verdict repeats) and records what was asked. */
    private static final class ScriptedStore implements DedupeStore {
        private final List<Verdict> script;
        final List<String> claimed = new CopyOnWriteArrayList<>();
        final List<String> completed = new CopyOnWriteArrayList<>();
        final List<String> released = new CopyOnWriteArrayList<>();
        volatile boolean completeFails;

        ScriptedStore(Verdict... script) {
            this.script = List.of(script);
        }

        @Override
        public List<Verdict> claim(List<String> keys, long nowMs, long lockExpiresAtMs) {
            List<Verdict> out = new ArrayList<>();
            for (String k : keys) {
                int i = claimed.size();
                claimed.add(k);
                out.add(script.get(Math.min(i, script.size() - 1)));
            }
            return Collections.unmodifiableList(out);
        }

        @Override
        public void complete(List<String> keys) {
            if (completeFails) {
                throw new DedupeStoreException("down", new RuntimeException("down"));
            }
            completed.addAll(keys);
        }

        @Override
        public void release(List<String> keys) {
            released.addAll(keys);
        }
    }
}
