package io.sluice.lambda.dedupe;

/** The dedupe store could not be reached or refused a request (other than a failed claim condition). */
public final class DedupeStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DedupeStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
