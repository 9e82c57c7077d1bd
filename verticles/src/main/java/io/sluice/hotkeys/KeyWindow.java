package io.sluice.hotkeys;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;

/**
 * The keys seen on one side (the producer, or one pipeline's consumer) per topic and partition over a sliding
 * window: a ring of {@link ItemsSketch}es (Apache DataSketches' frequent-items sketch, bounded memory) per slice.
 *
 * <p>One writer thread calls {@link #record} (the producer's or the consumer's event loop), no lock: the slice
 * being filled belongs to that thread only. When a record arrives after the slice's end the slice is published,
 * immutable from then on, into a copy-on-write ring (a volatile list). Readers ({@link #snapshot}, any thread)
 * merge the published slices of the window into fresh sketches and never touch the slice being filled; so what
 * they see lags the traffic by up to one slice.
 */
public final class KeyWindow {
    private static final KeyWindow OFF = new KeyWindow(null, () -> 0);

    /** One published slice: per topic, per partition, the sketch of its keys and its record counts. */
    private record Slice(long startMs, long endMs, Map<String, Part[]> topics) {}

    /** One partition in one slice (written by the writer until published, read-only after). */
    private static final class Part {
        final ItemsSketch<String> keys;
        long records;
        long unkeyed;

        Part(int size) {
            keys = new ItemsSketch<>(size);
        }
    }

    private final HotKeySettings settings;
    private final LongSupplier clock;
    // writer-confined
    private Map<String, Part[]> filling = new HashMap<>();
    private long fillingStart = Long.MIN_VALUE;
    // published
    private volatile List<Slice> ring = List.of();

    KeyWindow(HotKeySettings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** A window that counts nothing (hot keys disabled, or a test of something else). */
    public static KeyWindow off() {
        return OFF;
    }

    public boolean enabled() {
        return settings != null && settings.enabled();
    }

    /** One record of {@code topic}-{@code partition} with this key ({@code null}: unkeyed). Writer thread only. */
    public void record(String topic, int partition, byte[] key) {
        if (!enabled()) {
            return;
        }
        long now = clock.getAsLong();
        if (now >= fillingStart + settings.intervalMs()) {
            rotate(now);
        }
        Part[] parts = filling.get(topic);
        if (parts == null || parts.length <= partition) {
            parts = parts == null
                    ? new Part[Math.max(8, partition + 1)]
                    : Arrays.copyOf(parts, Math.max(parts.length * 2, partition + 1));
            filling.put(topic, parts);
        }
        Part p = parts[partition];
        if (p == null) {
            p = parts[partition] = new Part(settings.sketchSize());
        }
        p.records++;
        if (key == null) {
            p.unkeyed++;
        } else {
            p.keys.update(new String(key, StandardCharsets.UTF_8));
        }
    }

    /** Every record of one poll (a consumer's event loop). */
    public void polled(java.util.List<io.sluice.record.InRecord> records) {
        if (!enabled()) {
            return;
        }
        for (io.sluice.record.InRecord r : records) {
            record(r.topic(), r.partition(), r.key());
        }
    }

    private void rotate(long now) {
        if (!filling.isEmpty()) {
            long start = fillingStart;
            List<Slice> next = new ArrayList<>(settings.intervals());
            for (Slice s : ring) {
                if (s.endMs() > now - settings.windowMs()) {
                    next.add(s);
                }
            }
            next.add(new Slice(start, start + settings.intervalMs(), filling));
            while (next.size() > settings.intervals()) {
                next.remove(0);
            }
            ring = List.copyOf(next);
            filling = new HashMap<>();
        }
        fillingStart = now - Math.floorMod(now, settings.intervalMs());
    }

    /** One key of a partition: its estimated records in the window, its share of the partition's, its rate. */
    public record HotKey(String key, long records, double share, double perSecond, long maxError) {}

    /** One partition over the window; {@code keys} are the top keys, most records first. */
    public record PartitionKeys(
            String topic, int partition, long records, long unkeyed, double perSecond, List<HotKey> keys) {}

    /** What the window holds now: the span its slices cover and the partitions with their top keys. */
    public record Snapshot(long fromMs, long toMs, List<PartitionKeys> partitions) {
        public double spanSeconds() {
            return Math.max(0, toMs - fromMs) / 1000.0;
        }

        public long unkeyed() {
            return partitions.stream().mapToLong(PartitionKeys::unkeyed).sum();
        }
    }

    /**
     * The published slices that end within the window before {@code now}, merged; top {@code topN} per partition
     * among the keys the sketch is sure of (lower bound above its error: no false positives), so a partition whose
     * keys are evenly spread lists none.
     */
    public Snapshot snapshot(int topN) {
        if (!enabled()) {
            return new Snapshot(0, 0, List.of());
        }
        long now = clock.getAsLong();
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        Map<String, TreeMap<Integer, Part>> merged = new TreeMap<>();
        for (Slice s : ring) {
            if (s.endMs() <= now - settings.windowMs() - settings.intervalMs()) {
                continue; // out of the window (and no newer slice replaced it: no traffic since)
            }
            from = Math.min(from, s.startMs());
            to = Math.max(to, s.endMs());
            s.topics().forEach((topic, parts) -> {
                for (int i = 0; i < parts.length; i++) {
                    Part p = parts[i];
                    if (p == null) {
                        continue;
                    }
                    Part m = merged.computeIfAbsent(topic, t -> new TreeMap<>())
                            .computeIfAbsent(i, x -> new Part(settings.sketchSize()));
                    m.keys.merge(p.keys);
                    m.records += p.records;
                    m.unkeyed += p.unkeyed;
                }
            });
        }
        if (merged.isEmpty()) {
            return new Snapshot(0, 0, List.of());
        }
        double span = Math.max(1, to - from) / 1000.0;
        List<PartitionKeys> out = new ArrayList<>();
        merged.forEach((topic, parts) -> parts.forEach((partition, p) -> {
            ItemsSketch.Row<String>[] rows = p.keys.getFrequentItems(ErrorType.NO_FALSE_POSITIVES);
            List<HotKey> keys = Arrays.stream(rows)
                    .sorted(Comparator.comparingLong((ItemsSketch.Row<String> r) -> -r.getEstimate())
                            .thenComparing(ItemsSketch.Row::getItem))
                    .limit(topN)
                    .map(r -> new HotKey(
                            r.getItem(),
                            r.getEstimate(),
                            (double) r.getEstimate() / p.records,
                            r.getEstimate() / span,
                            r.getUpperBound() - r.getLowerBound()))
                    .toList();
            out.add(new PartitionKeys(topic, partition, p.records, p.unkeyed, p.records / span, keys));
        }));
        return new Snapshot(from, to, List.copyOf(out));
    }
}
