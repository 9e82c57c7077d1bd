package io.sluice.lambda.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.lambda.dedupe.DedupeStateMachine.Item;
import io.sluice.lambda.dedupe.DedupeStateMachine.State;
import io.sluice.lambda.dedupe.DedupeStateMachine.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DedupeStateMachineTest {

    private static final long NOW = 1_700_000_000_000L;

    @Test
    void aNewKeyIsClaimedAndDispatched() {
        assertThat(DedupeStateMachine.claimAllowed(Item.ABSENT, NOW)).isTrue();
        Verdict v = DedupeStateMachine.claim(Item.ABSENT, NOW);
        assertThat(v).isEqualTo(Verdict.DISPATCH);
        assertThat(v.dispatches()).isTrue();
        assertThat(v.holdsLock()).isTrue();
        assertThat(v.reportsFailed()).isFalse();
        assertThat(DedupeStateMachine.claimed(NOW + 5_000)).isEqualTo(Item.inProgress(NOW + 5_000));
    }

    @Test
    void aLiveInProgressLockMakesTheRecordAFailureNotADrop() {
        Item locked = Item.inProgress(NOW + 1);
        assertThat(DedupeStateMachine.claimAllowed(locked, NOW)).isFalse();
        Verdict v = DedupeStateMachine.claim(locked, NOW);
        assertThat(v).isEqualTo(Verdict.LOCKED);
        assertThat(v.dispatches())
                .as("the other delivery may be at the target right now")
                .isFalse();
        assertThat(v.reportsFailed())
                .as("retried later, never acknowledged unseen")
                .isTrue();
        assertThat(DedupeStateMachine.claim(Item.inProgress(NOW), NOW))
                .as("expiry is exclusive: exp < now")
                .isEqualTo(Verdict.LOCKED);
    }

    @Test
    void aCompleteKeySkipsTheTarget() {
        Verdict v = DedupeStateMachine.claim(Item.COMPLETE, NOW);
        assertThat(v).isEqualTo(Verdict.SKIP_DELIVERED);
        assertThat(v.dispatches()).isFalse();
        assertThat(v.reportsFailed()).as("acknowledged: it was delivered").isFalse();
        assertThat(v.holdsLock()).isFalse();
    }

    @Test
    void anExpiredLockIsTakenOver() {
        Item crashed = Item.inProgress(NOW - 1);
        assertThat(DedupeStateMachine.claimAllowed(crashed, NOW)).isTrue();
        Verdict v = DedupeStateMachine.claim(crashed, NOW);
        assertThat(v).isEqualTo(Verdict.TAKE_OVER);
        assertThat(v.dispatches()).as("a crash mid-dispatch leads to a retry").isTrue();
        assertThat(v.holdsLock()).isTrue();
    }

    @Test
    void anUnavailableStoreReportsTheRecordFailed() {
        Verdict v = Verdict.STORE_UNAVAILABLE;
        assertThat(v.reportsFailed()).isTrue();
        assertThat(v.dispatches()).isFalse();
        assertThat(v.holdsLock()).isFalse();
    }

    @Test
    void afterTheCallTheKeyIsCompleteOrReleased() {
        assertThat(DedupeStateMachine.afterCall(true).state()).isEqualTo(State.COMPLETE);
        assertThat(DedupeStateMachine.afterCall(false))
                .as("released: the retry claims it at once")
                .isEqualTo(Item.ABSENT);
        assertThat(DedupeStateMachine.claim(DedupeStateMachine.afterCall(false), NOW))
                .isEqualTo(Verdict.DISPATCH);
    }

    @Test
    void onlySuspectsSkipsTheClaimOfFirstDeliveries() {
        assertThat(DedupeStateMachine.needsClaim(false, false)).isTrue();
        assertThat(DedupeStateMachine.needsClaim(false, true)).isTrue();
        assertThat(DedupeStateMachine.needsClaim(true, true)).isTrue();
        assertThat(DedupeStateMachine.needsClaim(true, false)).isFalse();
    }

    @Test
    void theLockOutlivesTheInvocationDeadlineOnly() {
        assertThat(DedupeStateMachine.lockExpiry(NOW, NOW + 30_000, 60_000)).isEqualTo(NOW + 32_000);
        assertThat(DedupeStateMachine.lockExpiry(NOW, 0, 60_000)).isEqualTo(NOW + 60_000);
        assertThat(DedupeStateMachine.lockExpiry(NOW, NOW - 5, 60_000)).isEqualTo(NOW + 2_000);
    }

    @Test
    void theMemoryStoreFollowsTheMachine() {
        LruDedupeStore store = new LruDedupeStore(10);
        assertThat(store.claim(List.of("a", "b"), NOW, NOW + 1_000))
                .containsExactly(Verdict.DISPATCH, Verdict.DISPATCH);
        assertThat(store.claim(List.of("a"), NOW + 10, NOW + 2_000)).containsExactly(Verdict.LOCKED);
        store.complete(List.of("a"));
        store.release(List.of("b"));
        assertThat(store.claim(List.of("a", "b"), NOW + 20, NOW + 3_000))
                .containsExactly(Verdict.SKIP_DELIVERED, Verdict.DISPATCH);
        assertThat(store.claim(List.of("b"), NOW + 3_001, NOW + 9_000))
                .as("b's lock expired")
                .containsExactly(Verdict.TAKE_OVER);
        store.release(List.of("a"));
        assertThat(store.delivered("a"))
                .as("release never removes a completed key")
                .isTrue();
    }

    @Test
    void theIdempotencyKeyIsTheEventIdElseTheRecordsCoordinates() {
        assertThat(io.sluice.lambda.record.RecordTransformer.idempotencyKey("e-1", "t", 3, 42))
                .isEqualTo("e-1");
        assertThat(io.sluice.lambda.record.RecordTransformer.idempotencyKey(null, "t", 3, 42))
                .isEqualTo("t-3@42");
        assertThat(io.sluice.lambda.record.RecordTransformer.idempotencyKey(" ", "t", 3, 42))
                .isEqualTo("t-3@42");
    }
}
