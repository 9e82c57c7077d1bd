package io.sluice.ops.partitions;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pre-checks of {@code partitions increase} (the playbook's, docs/operations-partitions.md). Pure logic: each
 * check gets what was sampled and gives a verdict; any failed check refuses the change.
 */
final class IncreaseChecks {
    /** The playbook doubles; below this factor the command wants {@code --force}. */
    static final double MIN_FACTOR = 1.5;
    /** Lag that rises by less than this over the samples is noise (batches in flight, commit interval). */
    static final long LAG_GROWTH_FLOOR = 1_000;

    private IncreaseChecks() {}

    record Verdict(String check, boolean ok, String detail) {
        String line() {
            return String.format(Locale.ROOT, "  %-4s %-22s %s", ok ? "ok" : "FAIL", check, detail);
        }
    }

    /** The change itself: never a decrease (Kafka cannot), under ×1.5 only with {@code --force}. */
    static Verdict size(int from, int to, boolean force) {
        if (to <= from) {
            return new Verdict(
                    "size",
                    false,
                    from + " -> " + to + " is not an increase (Kafka cannot remove "
                            + "partitions; a topic with fewer needs a new topic and a migration)");
        }
        double factor = (double) to / from;
        if (factor < MIN_FACTOR && !force) {
            return new Verdict(
                    "size",
                    false,
                    String.format(
                            Locale.ROOT,
                            "%d -> %d is x%.2f, under x%.1f (the "
                                    + "playbook doubles: --to %d; --force to go ahead anyway)",
                            from,
                            to,
                            factor,
                            MIN_FACTOR,
                            from * 2));
        }
        return new Verdict(
                "size",
                true,
                String.format(
                        Locale.ROOT,
                        "%d -> %d (x%.2f)%s",
                        from,
                        to,
                        factor,
                        factor < MIN_FACTOR ? ", under x1.5 by --force" : ""));
    }

    /**
     * The producer keys every record and sets no partition itself: Sluice's producer always keys ({@code code:truckId}
     * by default) and never sets a partition number, so its records follow the default partitioner; the instance's
     * producer window must show records and none unkeyed. Without a producer on the instance (consumer-only) this
     * cannot be checked here: refused unless {@code --force}.
     */
    static Verdict keyed(JsonObject status, boolean force) {
        JsonObject producer = status.getJsonObject("producer", new JsonObject());
        JsonObject window = status.getJsonObject("hotKeys", new JsonObject()).getJsonObject("producer");
        if (!producer.getBoolean("enabled", false) || window == null || window.getLong("records", 0L) == 0) {
            String why = !producer.getBoolean("enabled", false)
                    ? "this instance runs no producer"
                    : window == null
                            ? "this instance counts no keys (hotKeys.enabled=false)"
                            : "no records sent in the window";
            return new Verdict(
                    "producer keys records",
                    force,
                    why + ": cannot check that every record is keyed"
                            + (force ? " (going ahead by --force)" : " (--force when every producer is known to key)"));
        }
        long unkeyed = window.getLong("unkeyed", 0L);
        long records = window.getLong("records", 0L);
        if (unkeyed > 0) {
            return new Verdict(
                    "producer keys records",
                    false,
                    unkeyed + " of " + records + " records in the last " + window.getDouble("spanSeconds")
                            + " s had no key (they spread over the new partitions freely)");
        }
        return new Verdict(
                "producer keys records",
                true,
                "all " + records + " records in the last " + window.getDouble("spanSeconds")
                        + " s keyed; Sluice's producer sets no partition numbers");
    }

    /**
     * Lag not already growing: over the samples (total lag of the topic, oldest first), growing means every sample of
     * the later half above every sample of the earlier half and the rise over {@value #LAG_GROWTH_FLOOR} records.
     */
    static Verdict lag(List<Long> samples, long sampleMs) {
        if (samples.size() < 2) {
            return new Verdict("lag not growing", false, "not enough lag samples");
        }
        int half = samples.size() / 2;
        long maxEarly = samples.subList(0, half).stream()
                .mapToLong(Long::longValue)
                .max()
                .orElse(0);
        long minLate = samples.subList(half, samples.size()).stream()
                .mapToLong(Long::longValue)
                .min()
                .orElse(0);
        long first = samples.get(0);
        long last = samples.get(samples.size() - 1);
        boolean growing = minLate > maxEarly && last - first > LAG_GROWTH_FLOOR;
        String seen = samples.size() + " samples over " + (samples.size() - 1) * sampleMs / 1000 + " s: " + first
                + " -> " + last;
        return growing
                ? new Verdict(
                        "lag not growing",
                        false,
                        "lag is growing (" + seen + "): fix the consumers first, a "
                                + "rebalance now adds to a backlog")
                : new Verdict("lag not growing", true, seen);
    }

    /** The group is stable, has members, and they own every partition of the topic. */
    static Verdict group(KafkaView.Group g, int partitions) {
        boolean stable = g.state() == org.apache.kafka.common.ConsumerGroupState.STABLE;
        boolean ok = stable && g.members() > 0 && g.assignedOfTopic() == partitions;
        return new Verdict(
                "group stable",
                ok,
                "state " + g.state() + ", " + g.members() + " member(s), " + g.assignedOfTopic() + "/" + partitions
                        + " partitions assigned");
    }

    static List<Verdict> failed(List<Verdict> all) {
        List<Verdict> out = new ArrayList<>();
        for (Verdict v : all) {
            if (!v.ok()) {
                out.add(v);
            }
        }
        return out;
    }
}
