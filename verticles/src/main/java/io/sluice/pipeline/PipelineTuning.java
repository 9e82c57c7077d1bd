package io.sluice.pipeline;

import io.sluice.batch.BatchSettings;

/**
 * The operator-tunable state of one pipeline: batch limits, the in-flight invocation limit and the manual
 * pause. It belongs to the {@link Pipeline}, not to its verticles, so a restart (TLS rotation, recovery from
 * a fatal consumer error) starts the new verticles with what the operator set, and the admin API reports
 * what is in effect. Starts from the configuration. Thread-safe: written by the admin API, read by the
 * pipeline's verticles when they start.
 */
public final class PipelineTuning {
    private final int maxConcurrencyCeiling;
    private volatile BatchSettings batch;
    private volatile int maxConcurrency;
    private volatile boolean manualPause;

    public PipelineTuning(PipelineSettings settings) {
        this.batch = settings.batch();
        this.maxConcurrencyCeiling = settings.lambda().maxConcurrency();
        this.maxConcurrency = maxConcurrencyCeiling;
    }

    public BatchSettings batch() {
        return batch;
    }

    void batch(BatchSettings s) {
        this.batch = java.util.Objects.requireNonNull(s, "batch");
    }

    public int maxConcurrency() {
        return maxConcurrency;
    }

    void maxConcurrency(int n) {
        if (n < 1 || n > maxConcurrencyCeiling) {
            throw new IllegalArgumentException(
                    "maxConcurrency must be between 1 and " + maxConcurrencyCeiling + ", got " + n);
        }
        this.maxConcurrency = n;
    }

    public boolean manualPause() {
        return manualPause;
    }

    void manualPause(boolean on) {
        this.manualPause = on;
    }
}
