package io.sluice.producer;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
import io.sluice.spool.Spool;
import java.nio.file.Path;
import java.util.Map;

/**
 * The producer's durable spool (key {@code producer.spool}): where events go that Kafka did not acknowledge
 * (or that arrive while Kafka is down or the in-flight bound is full), answered {@code spooled} once forced to
 * disk, and drained back to Kafka oldest first at a bounded rate. See {@code docs/producer-spool.md}.
 *
 * @param enabled            {@code enabled} (default false): without a spool such events are answered
 *                           {@code unavailable} / {@code overloaded}
 * @param directory          {@code directory} (default {@code sluice-spool}, relative to the working directory)
 * @param maxBytes           {@code maxBytes}: quota on disk (default 1 GiB, 1 MiB..1 TiB); full → {@code overloaded}
 * @param segmentBytes       {@code segmentBytes}: segment file size (default 64 MiB, 64 KiB..1 GiB, at most maxBytes)
 * @param fsync              {@code fsync}: {@code batch} (default: one force per group of appends) or {@code interval}
 * @param intervalMs         {@code intervalMs}: with {@code interval}, the longest time between forces (default 50, 1..10,000)
 * @param drainRatePerSecond {@code drainRatePerSecond}: the drain's ceiling in events/s (default 25,000, 1..1,000,000);
 *                           keep it above the ingest rate, or a key with spooled events never catches up
 * @param retryBackoffMs     {@code retryBackoffMs}: first wait after a failed drain round (default 500, 10..60,000),
 *                           doubled per failure up to {@code maxRetryBackoffMs} (default 10,000)
 * @param maxRetryBackoffMs  see retryBackoffMs
 */
public record SpoolSettings(
        boolean enabled,
        Path directory,
        long maxBytes,
        long segmentBytes,
        Spool.Fsync fsync,
        long intervalMs,
        int drainRatePerSecond,
        long retryBackoffMs,
        long maxRetryBackoffMs) {

    /** No spool. */
    public static SpoolSettings disabled() {
        return new SpoolSettings(
                false, Path.of("sluice-spool"), 1L << 30, 64L << 20, Spool.Fsync.BATCH, 50, 25_000, 500, 10_000);
    }

    private static final Key<Boolean> ENABLED = Key.bool(
            "enabled",
            false,
            "spool events Kafka did not acknowledge "
                    + "(or that arrive while it is down or the in-flight bound is full), answered spooled once on disk; without "
                    + "it they are answered unavailable / overloaded");
    private static final Key<String> DIRECTORY =
            Key.string("directory", "sluice-spool", "the spool's directory (relative to the working directory)");
    private static final Key<Long> MAX_BYTES =
            Key.longInt("maxBytes", 1L << 30, 1L << 20, 1L << 40, "quota on disk; full -> overloaded");
    private static final Key<Long> SEGMENT_BYTES =
            Key.longInt("segmentBytes", 64L << 20, 64L << 10, 1L << 30, "segment file size (at most maxBytes)");
    private static final Key<Spool.Fsync> FSYNC = Key.oneOf(
            "fsync",
            "batch",
            linked("batch", Spool.Fsync.BATCH, "interval", Spool.Fsync.INTERVAL),
            "batch: one force per group of appends; interval: at most intervalMs apart");
    private static final Key<Long> INTERVAL_MS =
            Key.longInt("intervalMs", 50, 1, 10_000, "with fsync interval, the longest time between forces");
    private static final Key<Integer> DRAIN_RATE = Key.integer(
            "drainRatePerSecond",
            25_000,
            1,
            1_000_000,
            "the drain's ceiling in events/s; keep it above the ingest rate");
    private static final Key<Long> RETRY_BACKOFF_MS = Key.longInt(
            "retryBackoffMs", 500, 10, 60_000, "first wait after a failed drain round, doubled per failure");
    private static final Key<Long> MAX_RETRY_BACKOFF_MS = Key.longInt(
            "maxRetryBackoffMs", 10_000, 10, 600_000, "the largest wait between drain rounds (>= retryBackoffMs)");
    /** {@code producer.spool}. */
    public static final Section SECTION = Section.of(
            "the producer's durable spool (docs/producer-spool.md)",
            ENABLED,
            DIRECTORY,
            MAX_BYTES,
            SEGMENT_BYTES,
            FSYNC,
            INTERVAL_MS,
            DRAIN_RATE,
            RETRY_BACKOFF_MS,
            MAX_RETRY_BACKOFF_MS);

    private static Map<String, Spool.Fsync> linked(String a, Spool.Fsync x, String b, Spool.Fsync y) {
        Map<String, Spool.Fsync> m = new java.util.LinkedHashMap<>();
        m.put(a, x);
        m.put(b, y);
        return m;
    }

    /** From {@code producer.spool} (absent = disabled); every key validated, a bad one named in the ConfigException. */
    public static SpoolSettings from(Cfg c) {
        boolean enabled = c.get(ENABLED);
        String dir = c.get(DIRECTORY);
        if (dir.isBlank()) {
            throw new ConfigException(c.key("directory"), "must not be blank");
        }
        long maxBytes = c.get(MAX_BYTES);
        long segmentBytes = c.get(SEGMENT_BYTES);
        if (segmentBytes > maxBytes) {
            throw new ConfigException(
                    c.key("segmentBytes"), "must be at most maxBytes (" + maxBytes + "), got " + segmentBytes);
        }
        Spool.Fsync fsync = c.get(FSYNC);
        long intervalMs = c.get(INTERVAL_MS);
        int rate = c.get(DRAIN_RATE);
        long backoff = c.get(RETRY_BACKOFF_MS);
        long maxBackoff = c.get(MAX_RETRY_BACKOFF_MS);
        if (maxBackoff < backoff) {
            throw new ConfigException(
                    c.key("maxRetryBackoffMs"), "must be at least retryBackoffMs (" + backoff + "), got " + maxBackoff);
        }
        c.done();
        return new SpoolSettings(
                enabled, Path.of(dir), maxBytes, segmentBytes, fsync, intervalMs, rate, backoff, maxBackoff);
    }

    Spool.Options options() {
        return new Spool.Options(directory, maxBytes, segmentBytes, fsync, intervalMs);
    }
}
