package io.sluice.lambda.dedupe;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * The dedupe store's validated settings (environment variables in {@link io.sluice.lambda.DispatcherConfig}).
 *
 * @param mode         {@code off}, {@code memory} (a per-container LRU) or {@code dynamodb} (durable, shared)
 * @param capacity     keys of the {@code memory} LRU (1..10000000)
 * @param onlySuspects claim (read and lock) only records Sluice marked as possible redeliveries; first deliveries
 *                     go straight to their targets and their keys are written afterwards
 * @param table        the DynamoDB table ({@code dynamodb} mode; required there)
 * @param endpoint     DynamoDB endpoint override (a local server), or null
 * @param region       DynamoDB region, or null for the SDK's default chain ({@code AWS_REGION} in Lambda)
 * @param ttlSeconds   how long a delivered key is kept (60..31536000)
 * @param lockMs       in-progress lock when the invocation's deadline is unknown (1000..900000); with a deadline
 *                     the lock expires 2 s after it
 * @param parallelism  DynamoDB requests in flight per invocation (1..256)
 * @param timeoutMs    one DynamoDB request's bound, the SDK's retries included (100..60000)
 */
public record DedupeSettings(
        Mode mode,
        int capacity,
        boolean onlySuspects,
        String table,
        URI endpoint,
        String region,
        long ttlSeconds,
        long lockMs,
        int parallelism,
        long timeoutMs) {

    /** Where keys are kept. */
    public enum Mode {
        OFF,
        MEMORY,
        DYNAMODB;

        /** {@code off | memory | dynamodb}, case-insensitive. */
        public static Mode parse(String name, String v) {
            try {
                return valueOf(v.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " must be off, memory or dynamodb but was '" + v + "'", e);
            }
        }
    }

    public DedupeSettings {
        Objects.requireNonNull(mode, "mode");
        range("SLUICE_DEDUPE_CAPACITY", capacity, mode == Mode.MEMORY ? 1 : 0, 10_000_000);
        range("SLUICE_DEDUPE_TTL_SECONDS", ttlSeconds, 60, 31_536_000);
        range("SLUICE_DEDUPE_LOCK_MS", lockMs, 1_000, 900_000);
        range("SLUICE_DEDUPE_PARALLELISM", parallelism, 1, 256);
        range("SLUICE_DEDUPE_TIMEOUT_MS", timeoutMs, 100, 60_000);
        if (mode == Mode.DYNAMODB && (table == null || table.isBlank())) {
            throw new IllegalArgumentException("SLUICE_DEDUPE_TABLE is required with SLUICE_DEDUPE_MODE=dynamodb");
        }
    }

    /** The in-memory LRU of {@code capacity} keys (0 = off), every record claimed: the function's old default. */
    public static DedupeSettings memory(int capacity) {
        return new DedupeSettings(
                capacity == 0 ? Mode.OFF : Mode.MEMORY, capacity, false, null, null, null, 86_400, 60_000, 16, 2_000);
    }

    /** DynamoDB table {@code table} at {@code endpoint} (null: the region's), other settings at their defaults. */
    public static DedupeSettings dynamoDb(String table, URI endpoint, String region, boolean onlySuspects) {
        return new DedupeSettings(
                Mode.DYNAMODB, 100_000, onlySuspects, table, endpoint, region, 86_400, 60_000, 16, 2_000);
    }

    public DedupeSettings withOnlySuspects(boolean v) {
        return new DedupeSettings(
                mode, capacity, v, table, endpoint, region, ttlSeconds, lockMs, parallelism, timeoutMs);
    }

    private static void range(String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + " but was " + v);
        }
    }
}
