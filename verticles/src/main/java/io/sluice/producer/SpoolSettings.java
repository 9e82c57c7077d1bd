package io.sluice.producer;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
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
public record SpoolSettings(boolean enabled, Path directory, long maxBytes, long segmentBytes, Spool.Fsync fsync,
                            long intervalMs, int drainRatePerSecond, long retryBackoffMs, long maxRetryBackoffMs) {

    /** No spool. */
    public static SpoolSettings disabled() {
        return new SpoolSettings(false, Path.of("sluice-spool"), 1L << 30, 64L << 20, Spool.Fsync.BATCH, 50, 25_000, 500, 10_000);
    }

    /** From {@code producer.spool} (absent = disabled); every key validated, a bad one named in the ConfigException. */
    public static SpoolSettings from(Cfg c) {
        boolean enabled = c.bool("enabled", false);
        String dir = c.string("directory", "sluice-spool");
        if (dir.isBlank()) {
            throw new ConfigException(c.key("directory"), "must not be blank");
        }
        long maxBytes = c.longIn("maxBytes", 1L << 30, 1L << 20, 1L << 40);
        long segmentBytes = c.longIn("segmentBytes", 64L << 20, 64L << 10, 1L << 30);
        if (segmentBytes > maxBytes) {
            throw new ConfigException(c.key("segmentBytes"), "must be at most maxBytes (" + maxBytes + "), got " + segmentBytes);
        }
        Spool.Fsync fsync = c.oneOf("fsync", "batch", Map.of("batch", Spool.Fsync.BATCH, "interval", Spool.Fsync.INTERVAL));
        long intervalMs = c.longIn("intervalMs", 50, 1, 10_000);
        int rate = c.intIn("drainRatePerSecond", 25_000, 1, 1_000_000);
        long backoff = c.longIn("retryBackoffMs", 500, 10, 60_000);
        long maxBackoff = c.longIn("maxRetryBackoffMs", 10_000, 10, 600_000);
        if (maxBackoff < backoff) {
            throw new ConfigException(c.key("maxRetryBackoffMs"), "must be at least retryBackoffMs (" + backoff + "), got " + maxBackoff);
        }
        c.done();
        return new SpoolSettings(enabled, Path.of(dir), maxBytes, segmentBytes, fsync, intervalMs, rate, backoff, maxBackoff);
    }

    Spool.Options options() {
        return new Spool.Options(directory, maxBytes, segmentBytes, fsync, intervalMs);
    }
}
