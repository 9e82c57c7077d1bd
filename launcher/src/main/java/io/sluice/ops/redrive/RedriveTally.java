package io.sluice.ops.redrive;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of one redrive run (dry or real): what was scanned, selected, redriven, parked, and the selected
 * records by error class and by target topic. Pure; one thread.
 */
final class RedriveTally {
    long alreadyExamined;
    long scanned;
    long matched;
    long redriven;
    long parked;
    long unroutable;
    final Map<String, Long> byClass = new TreeMap<>();
    final Map<String, Long> byTopic = new TreeMap<>();

    /** What happens to one scanned DLQ record. */
    enum Fate {
        SKIPPED,
        REDRIVE,
        PARK,
        UNROUTABLE
    }

    /**
     * Counts {@code d} and decides its fate: not selected; redriven to its target; parked (its redrive attempt is
     * already {@code >= maxAttempts}); or unroutable (no target: no {@code sluice-source-topic} and no {@code --to-topic}).
     */
    Fate count(DeadLetter d, RedriveSelection sel, int maxAttempts) {
        scanned++;
        if (!sel.matches(d)) {
            return Fate.SKIPPED;
        }
        matched++;
        byClass.merge(d.errorClass() == null ? "(none)" : d.errorClass(), 1L, Long::sum);
        if (io.sluice.dispatch.RedriveAttempts.parked(d.redriveAttempt(), maxAttempts)) {
            byTopic.merge("(parking)", 1L, Long::sum);
            return Fate.PARK;
        }
        String target = sel.targetOf(d);
        if (target == null) {
            byTopic.merge("(unroutable)", 1L, Long::sum);
            return Fate.UNROUTABLE;
        }
        byTopic.merge(target, 1L, Long::sum);
        return Fate.REDRIVE;
    }

    JsonObject toJson() {
        return new JsonObject()
                .put("alreadyExamined", alreadyExamined)
                .put("scanned", scanned)
                .put("matched", matched)
                .put("redriven", redriven)
                .put("parked", parked)
                .put("unroutable", unroutable)
                .put("byErrorClass", new JsonObject(new TreeMap<>(byClass)))
                .put("byTargetTopic", new JsonObject(new TreeMap<>(byTopic)));
    }

    /** The counts as lines for the terminal. */
    String text(boolean dryRun) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                "scanned %d DLQ record(s) (%d before them already examined by an earlier run of this "
                        + "selection); selected %d%n",
                scanned, alreadyExamined, matched));
        table(b, "by error class", byClass);
        table(b, "by target topic", byTopic);
        if (dryRun) {
            b.append("dry run: nothing written, no progress committed");
        } else {
            b.append(String.format(
                    "redriven %d, parked %d, unroutable %d (left in the DLQ)", redriven, parked, unroutable));
        }
        return b.toString();
    }

    private static void table(StringBuilder b, String title, Map<String, Long> counts) {
        b.append(title).append(':').append(counts.isEmpty() ? " none" : "").append(System.lineSeparator());
        int w = counts.keySet().stream().mapToInt(String::length).max().orElse(0);
        counts.forEach((k, v) -> b.append(String.format("  %-" + w + "s  %d%n", k, v)));
    }
}
