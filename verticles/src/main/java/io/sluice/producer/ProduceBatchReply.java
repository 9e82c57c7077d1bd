package io.sluice.producer;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The answer to a {@link ProduceBatch}: one {@link ProduceResult} per event, in the batch's order. Carried
 * by a local codec; immutable once sent.
 */
public final class ProduceBatchReply {
    private final List<ProduceResult> results;

    private ProduceBatchReply(ProduceResult[] results) {
        this.results = Collections.unmodifiableList(Arrays.asList(results));
    }

    /** The results, {@code results().get(i)} being that of event {@code i}. */
    public List<ProduceResult> results() {
        return results;
    }

    public int size() {
        return results.size();
    }

    /** How many events got {@code answer}. */
    public int count(ProduceAnswer answer) {
        int n = 0;
        for (ProduceResult r : results) {
            if (r.answer() == answer) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "ProduceBatchReply{" + size() + " results, " + count(ProduceAnswer.ACCEPTED) + " accepted}";
    }

    /**
     * Collects results as they come, in any order, and hands the reply over exactly once, when every event
     * has its result. Not thread-safe (one event loop fills it).
     */
    public static final class Collector {
        private final ProduceResult[] results;
        private final Consumer<ProduceBatchReply> whenComplete;
        private int missing;

        public Collector(int size, Consumer<ProduceBatchReply> whenComplete) {
            this.results = new ProduceResult[size];
            this.missing = size;
            this.whenComplete = whenComplete;
            if (size == 0) {
                whenComplete.accept(new ProduceBatchReply(results));
            }
        }

        /** Sets event {@code index}'s result; the last one completes the reply. A second result for an event is an error. */
        public void set(int index, ProduceResult result) {
            if (results[index] != null) {
                throw new IllegalStateException(
                        "event " + index + " already has its result " + results[index].answer());
            }
            results[index] = result;
            if (--missing == 0) {
                whenComplete.accept(new ProduceBatchReply(results));
            }
        }

        /** Events still without a result. */
        public int missing() {
            return missing;
        }
    }
}
