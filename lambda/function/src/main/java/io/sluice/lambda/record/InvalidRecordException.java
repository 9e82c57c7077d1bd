package io.sluice.lambda.record;

/** One record is permanently invalid (undecodable, not a telemetry event, no route). Never retried. */
public final class InvalidRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidRecordException(String reason) {
        super(reason, null, false, false);
    }

    public String reason() {
        return getMessage();
    }
}
