package io.sluice.lambda;

import io.sluice.lambda.dedupe.DedupeStateMachine;
import io.sluice.lambda.dedupe.DedupeStore;
import io.sluice.lambda.dedupe.DedupeStoreException;
import io.sluice.lambda.event.KafkaEventRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's use of the {@link DedupeStore}: claims before the target calls, completes or releases after
 * them ({@link DedupeStateMachine}). Thread-safe when the store is.
 */
final class DedupeGate {

    private static final Logger LOG = LoggerFactory.getLogger(DedupeGate.class);

    private final DedupeStore dedupe;
    private final boolean onlySuspects;
    private final long defaultLockMs;

    DedupeGate(DedupeStore dedupe, boolean onlySuspects, long defaultLockMs) {
        this.dedupe = dedupe;
        this.onlySuspects = onlySuspects;
        this.defaultLockMs = defaultLockMs;
    }

    /**
     * Claims the candidates' keys (those {@link DedupeStateMachine#needsClaim} asks for) and files each record's
     * deliveries per target, in event order: a key already delivered is skipped; a record with a key locked
     * elsewhere or unanswered by the store fails, as does every later record of its key (order fence), and the
     * locks it took are released.
     */
    void admit(
            List<Delivery> candidates,
            Map<String, List<Delivery>> perTarget,
            Set<RecordId> failed,
            long deadlineEpochMs) {
        if (candidates.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>();
        List<Integer> claimAt = new ArrayList<>();
        boolean none = dedupe.isNone();
        for (int i = 0; i < candidates.size(); i++) {
            if (!none
                    && DedupeStateMachine.needsClaim(
                            onlySuspects, candidates.get(i).suspect())) {
                keys.add(candidates.get(i).dedupeKey());
                claimAt.add(i);
            }
        }
        DedupeStateMachine.Verdict[] verdicts = new DedupeStateMachine.Verdict[candidates.size()];
        if (!keys.isEmpty()) {
            long now = System.currentTimeMillis();
            // claims may use half the time left: the other half is for the target calls
            long answerBy = deadlineEpochMs > 0 ? now + Math.max(1, (deadlineEpochMs - now) / 2) : 0L;
            List<DedupeStateMachine.Verdict> answers = dedupe.claim(
                    keys, now, DedupeStateMachine.lockExpiry(now, deadlineEpochMs, defaultLockMs), answerBy);
            for (int j = 0; j < claimAt.size(); j++) {
                verdicts[claimAt.get(j)] = answers.get(j);
            }
        }
        OrderFence fence = new OrderFence(); // fences what the claims fail (forced failures fenced already)
        List<String> unlock = new ArrayList<>();
        int refusedCount = 0;
        RecordId firstRefused = null;
        int i = 0;
        while (i < candidates.size()) {
            KafkaEventRecord rec = candidates.get(i).source();
            int end = i;
            boolean refused = fence.holds(rec);
            while (end < candidates.size() && candidates.get(end).source() == rec) {
                DedupeStateMachine.Verdict v = verdicts[end];
                refused |= v != null && v.reportsFailed();
                end++;
            }
            for (int k = i; k < end; k++) {
                Delivery p = candidates.get(k);
                DedupeStateMachine.Verdict v = verdicts[k];
                boolean locked = v != null && v.holdsLock();
                if (refused) {
                    if (locked) {
                        unlock.add(p.dedupeKey());
                    }
                } else if (v == DedupeStateMachine.Verdict.SKIP_DELIVERED) {
                    LOG.debug(
                            "skipped already delivered topic={} partition={} offset={} key={}",
                            rec.topic(),
                            rec.partition(),
                            rec.offset(),
                            p.dedupeKey());
                } else {
                    perTarget
                            .computeIfAbsent(p.target(), t -> new ArrayList<>())
                            .add(locked ? p.locked() : p);
                }
            }
            if (refused) {
                failed.add(rec.id());
                fence.fail(rec);
                if (refusedCount++ == 0) {
                    firstRefused = rec.id();
                }
            }
            i = end;
        }
        if (refusedCount > 0) {
            LOG.info(
                    "not dispatched, reported failed: {} records (a dedupe key locked by another delivery, the store not "
                            + "answering, or a later record of such a key), first {}",
                    refusedCount,
                    firstRefused);
        }
        if (!unlock.isEmpty()) {
            dedupe.release(unlock);
        }
    }

    void complete(List<Delivery> pending) {
        if (dedupe.isNone()) {
            return;
        }
        List<String> keys = new ArrayList<>(pending.size());
        pending.forEach(p -> keys.add(p.dedupeKey()));
        try {
            dedupe.complete(keys);
        } catch (DedupeStoreException e) {
            // delivered: acknowledging them is right; a later redelivery of these keys may reach the target again
            LOG.warn("delivered but not recorded in the dedupe store keys={}: {}", keys.size(), e.getMessage());
        }
    }

    void release(List<Delivery> pending) {
        List<String> keys = new ArrayList<>();
        pending.stream().filter(Delivery::claimed).forEach(p -> keys.add(p.dedupeKey()));
        if (!keys.isEmpty()) {
            dedupe.release(keys);
        }
    }
}
