package io.sluice.batch;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How batches form ({@code pipelines[].batch}). Two modes:
 * <ul>
 *   <li>{@code adaptive} (default): one invocation takes records of every lane that has none in flight, across
 *   partitions; it goes when a slot is free and the oldest of those records has waited {@code maxWaitMs} (the
 *   latency target for the time batching adds), or at once when they reach {@code maxRecords} or
 *   {@code maxBytes} (ceilings, not targets). While a lane's batch is in flight its records accumulate, so the
 *   next batch grows with the load up to the ceilings: see {@link BatchPolicy}.</li>
 *   <li>{@code fixed}: the first milestone's behaviour, kept to compare: a batch is one lane's records and
 *   closes on {@code maxRecords}, on {@code maxBytes}, or {@code lingerMs} after its first record.</li>
 * </ul>
 * {@code maxBytes} is the Lambda payload after base64 growth and the event envelope; it always holds.
 *
 * @param lingerMs  fixed mode only
 * @param maxWaitMs adaptive mode only
 */
public record BatchSettings(Mode mode, int maxRecords, int maxBytes, long lingerMs, long maxWaitMs) {
    /** The synchronous Invoke payload limit of AWS Lambda. */
    public static final int LAMBDA_SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
    /** The largest {@code maxBytes}: the Invoke limit less room for the request around the payload. */
    public static final int MAX_BYTES_LIMIT = LAMBDA_SYNC_PAYLOAD_LIMIT - 64 * 1024;
    /** The largest {@code maxRecords} (an event source mapping's largest batch is 10,000; bytes bind first anyway). */
    public static final int MAX_RECORDS_LIMIT = 100_000;
    /** The fixed mode's default {@code maxBytes} (the first milestone's). */
    public static final int DEFAULT_FIXED_MAX_BYTES = 5 * 1024 * 1024;

    public static final long DEFAULT_LINGER_MS = 1_000;
    public static final long DEFAULT_MAX_WAIT_MS = 100;
    public static final long MAX_TIME_MS = 60_000;

    /** How batches form. */
    public enum Mode {
        /** Ceilings: 20,000 records and the payload limit (bytes bind first: ~15,000 records of 200 bytes). */
        ADAPTIVE(20_000, MAX_BYTES_LIMIT),
        /** The first milestone's: 1,000 records, 5 MiB. */
        FIXED(1_000, DEFAULT_FIXED_MAX_BYTES);

        private final int defaultMaxRecords;
        private final int defaultMaxBytes;

        Mode(int defaultMaxRecords, int defaultMaxBytes) {
            this.defaultMaxRecords = defaultMaxRecords;
            this.defaultMaxBytes = defaultMaxBytes;
        }

        /** {@code maxRecords} when the configuration gives none. */
        public int defaultMaxRecords() {
            return defaultMaxRecords;
        }

        /** {@code maxBytes} when the configuration gives none. */
        public int defaultMaxBytes() {
            return defaultMaxBytes;
        }

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Map<String, Mode> byConfigName() {
            Map<String, Mode> m = new LinkedHashMap<>();
            for (Mode x : values()) {
                m.put(x.configName(), x);
            }
            return m;
        }
    }

    public BatchSettings {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if (maxRecords < 1
                || maxRecords > MAX_RECORDS_LIMIT
                || maxBytes < 1024
                || maxBytes > MAX_BYTES_LIMIT
                || lingerMs < 0
                || lingerMs > MAX_TIME_MS
                || maxWaitMs < 0
                || maxWaitMs > MAX_TIME_MS) {
            throw new IllegalArgumentException("batch settings out of range: " + this);
        }
    }

    /** Fixed mode (tests and the first milestone's behaviour); {@code maxWaitMs} at its default. */
    public static BatchSettings fixed(int maxRecords, int maxBytes, long lingerMs) {
        return new BatchSettings(Mode.FIXED, maxRecords, maxBytes, lingerMs, DEFAULT_MAX_WAIT_MS);
    }

    /** Adaptive mode; {@code lingerMs} at its default. */
    public static BatchSettings adaptive(int maxRecords, int maxBytes, long maxWaitMs) {
        return new BatchSettings(Mode.ADAPTIVE, maxRecords, maxBytes, DEFAULT_LINGER_MS, maxWaitMs);
    }

    /** The batching wait that applies in this mode: {@code lingerMs} (fixed) or {@code maxWaitMs} (adaptive). */
    public long waitMs() {
        return mode == Mode.FIXED ? lingerMs : maxWaitMs;
    }

    private static final Key<Mode> MODE = Key.oneOf(
            "mode",
            "adaptive",
            Mode.byConfigName(),
            "adaptive: free lanes of every partition per invocation, sized by the load; fixed: one lane per batch, "
                    + "count / bytes / linger (the first milestone's, kept to compare)");
    private static final Key<Integer> MAX_RECORDS = Key.integer(
                    "maxRecords",
                    Mode.ADAPTIVE.defaultMaxRecords(),
                    1,
                    MAX_RECORDS_LIMIT,
                    "ceiling of records per invocation")
            .defaultShown("20000 (adaptive), 1000 (fixed)");
    private static final Key<Integer> MAX_BYTES = Key.integer(
                    "maxBytes",
                    Mode.ADAPTIVE.defaultMaxBytes(),
                    1024,
                    MAX_BYTES_LIMIT,
                    "ceiling of the Invoke payload in bytes, after base64 and the event envelope; always holds")
            .defaultShown(MAX_BYTES_LIMIT + " (adaptive), " + DEFAULT_FIXED_MAX_BYTES + " (fixed)");
    private static final Key<Long> LINGER_MS = Key.longInt(
            "lingerMs",
            DEFAULT_LINGER_MS,
            0,
            MAX_TIME_MS,
            "fixed mode only: a batch goes this long after its first record");
    private static final Key<Long> MAX_WAIT_MS = Key.longInt(
            "maxWaitMs",
            DEFAULT_MAX_WAIT_MS,
            0,
            MAX_TIME_MS,
            "adaptive mode only: the latency target for the time batching adds (the oldest record's wait)");
    /** {@code pipelines[].batch}. */
    public static final Section SECTION =
            Section.of("how batches form", MODE, MAX_RECORDS, MAX_BYTES, LINGER_MS, MAX_WAIT_MS);

    public static BatchSettings from(Cfg c) {
        Mode mode = c.get(MODE);
        rejectOtherModesKey(c, mode, Mode.FIXED, "lingerMs", "maxWaitMs");
        rejectOtherModesKey(c, mode, Mode.ADAPTIVE, "maxWaitMs", "lingerMs");
        BatchSettings s = new BatchSettings(
                mode,
                c.has(MAX_RECORDS.name()) ? c.get(MAX_RECORDS) : mode.defaultMaxRecords(),
                c.has(MAX_BYTES.name()) ? c.get(MAX_BYTES) : mode.defaultMaxBytes(),
                c.get(LINGER_MS),
                c.get(MAX_WAIT_MS));
        c.done();
        return s;
    }

    /** {@code key} belongs to mode {@code owner}: given under another mode it is a mistake, named as such. */
    private static void rejectOtherModesKey(Cfg c, Mode mode, Mode owner, String key, String instead) {
        if (mode != owner && c.has(key)) {
            throw new ConfigException(
                    c.key(key),
                    "applies to batch.mode \"" + owner.configName() + "\" only; this "
                            + "pipeline's mode is \"" + mode.configName() + "\" (use " + instead
                            + ", or set \"mode\": \""
                            + owner.configName() + "\")");
        }
    }
}
