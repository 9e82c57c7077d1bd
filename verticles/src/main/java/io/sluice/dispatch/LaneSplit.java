package io.sluice.dispatch;

import io.sluice.record.InRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an answered invocation means for each of its records. With {@link RetrySettings.Resend#LANE}, lane by
 * lane (the lane of a record is given by {@code laneOf}: its slice of the batch): the lowest record the function
 * names in {@code batchItemFailures} and every later record of that lane are sent again, the lane's earlier records
 * are delivered. With {@link RetrySettings.Resend#NAMED}, exactly the named records are sent again. Records named in
 * {@code invalidRecords} go to the DLQ wherever they are (they never become valid). Pure logic.
 *
 * @param delivered      final: the function took them
 * @param invalid        final once dead-lettered
 * @param retry          to send again, in the order they were sent
 * @param resentForOrder how many of {@code retry} the function did not name: sent again only to keep lane order
 */
record LaneSplit(List<InRecord> delivered, List<InRecord> invalid, List<InRecord> retry, int resentForOrder) {

    static LaneSplit of(
            List<InRecord> records, Map<InRecord, Integer> laneOf, InvokeVerdict v, RetrySettings.Resend rule) {
        if (v.retry().isEmpty() && v.invalid().isEmpty()) {
            return new LaneSplit(records, List.of(), List.of(), 0);
        }
        Map<Integer, Long> firstFailed = new HashMap<>();
        if (!v.retry().isEmpty() && rule == RetrySettings.Resend.LANE) {
            for (InRecord r : records) {
                if (v.retry().contains(InvokeVerdict.Ref.of(r))) {
                    firstFailed.merge(laneOf.get(r), r.offset(), Math::min);
                }
            }
        }
        List<InRecord> delivered = new ArrayList<>(records.size());
        List<InRecord> invalid = new ArrayList<>();
        List<InRecord> retry = new ArrayList<>();
        int named = 0;
        for (InRecord r : records) {
            InvokeVerdict.Ref ref = InvokeVerdict.Ref.of(r);
            Long from = firstFailed.isEmpty() ? null : firstFailed.get(laneOf.get(r));
            if (v.invalid().containsKey(ref)) {
                invalid.add(r);
            } else if (from != null && r.offset() >= from
                    || rule == RetrySettings.Resend.NAMED && v.retry().contains(ref)) {
                retry.add(r);
                if (v.retry().contains(ref)) {
                    named++;
                }
            } else {
                delivered.add(r);
            }
        }
        return new LaneSplit(delivered, invalid, retry, retry.size() - named);
    }
}
