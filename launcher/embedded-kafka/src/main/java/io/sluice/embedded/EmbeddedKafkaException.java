package io.sluice.embedded;

/** Thrown when the embedded cluster or a child JVM cannot be started, stopped or run. */
public class EmbeddedKafkaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, including the tail of the relevant log when there is one
     */
    public EmbeddedKafkaException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause   the underlying error
     */
    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
