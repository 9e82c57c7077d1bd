package io.sluice.lag;

/**
 * The health of one partition's consumption, judged without thresholds from a window of samples, in
 * the spirit of LinkedIn Burrow's rules (see {@link LagEvaluator}). {@link #code()} is the value of the
 * {@code sluice.consumer.lag.status} gauge.
 */
public enum LagStatus {
    /** Caught up at some point of the window, or committing and not falling behind. */
    OK(0),
    /** Committing, but the lag rose in every interval of the window: the consumer is falling behind. */
    WARN(1),
    /** The committed offset did not move over the window while lag stayed above 0, with records in flight. */
    STALL(2),
    /** The committed offset did not move over the window while lag stayed above 0, and nothing is in flight: the consumer is not consuming. */
    STOP(3);

    private final int code;

    LagStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
