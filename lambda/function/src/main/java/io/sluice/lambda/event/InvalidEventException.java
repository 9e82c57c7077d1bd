package io.sluice.lambda.event;

/**
 * The invocation payload as a whole is not a Lambda Kafka event (not JSON, wrong event source, a record
 * without topic/partition/offset). Nothing can be reported per record, so the handler lets it surface as a
 * function error.
 */
public final class InvalidEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
