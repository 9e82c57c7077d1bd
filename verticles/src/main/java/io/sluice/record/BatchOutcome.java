package io.sluice.record;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Every record of these slices of {@code batch} is final: delivered to the function, or written to the DLQ.
 * Dispatch sends one as soon as some slices are final while others still retry (their lanes free at once, their
 * offsets can be committed), and answers the batch with the last one.
 *
 * @param slices      indexes into {@code batch.slices()} made final by this outcome
 * @param delivered   records of those slices the function accepted
 * @param deadLettered records of those slices written to the DLQ
 * @param invocations Lambda invocations since the previous outcome of the batch (retries included)
 */
public record BatchOutcome(Batch batch, List<Integer> slices, int delivered, int deadLettered, int invocations) {

    public BatchOutcome {
        slices = List.copyOf(slices);
    }

    /** Every slice of {@code batch}. */
    public static BatchOutcome whole(Batch batch, int delivered, int deadLettered, int invocations) {
        return new BatchOutcome(
                batch,
                IntStream.range(0, batch.slices().size()).boxed().toList(),
                delivered,
                deadLettered,
                invocations);
    }

    /** The records made final. */
    public List<InRecord> records() {
        if (slices.size() == batch.slices().size()) {
            return batch.records();
        }
        List<InRecord> out = new ArrayList<>();
        for (int i : slices) {
            out.addAll(batch.slices().get(i).records());
        }
        return out;
    }
}
