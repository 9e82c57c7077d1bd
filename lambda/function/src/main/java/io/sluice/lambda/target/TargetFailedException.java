package io.sluice.lambda.target;

/** A target call failed (non-2xx, timeout, connection error). Retryable by the caller. */
public final class TargetFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TargetFailedException(String message) {
        super(message);
    }

    public TargetFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
