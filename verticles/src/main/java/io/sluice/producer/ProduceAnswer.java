package io.sluice.producer;

/**
 * The answer classes of {@code sluice.produce}, with the event-bus failure code each one uses (the
 * HTTP ingest maps them to the same status codes). Two are successes, both durable: {@code accepted} (Kafka
 * acknowledged it, acks=all) and {@code spooled} (forced to disk in the producer's spool, to be drained to Kafka;
 * see {@code docs/producer-spool.md}).
 */
public enum ProduceAnswer {
    ACCEPTED("accepted", 0),
    SPOOLED("spooled", 0),
    INVALID("invalid", 400),
    RATE_LIMITED("rate-limited", 429),
    OVERLOADED("overloaded", 503),
    UNAVAILABLE("unavailable", 503),
    STOPPING("stopping", 503);

    private final String label;
    private final int failureCode;

    ProduceAnswer(String label, int failureCode) {
        this.label = label;
        this.failureCode = failureCode;
    }

    public String label() {
        return label;
    }

    public int failureCode() {
        return failureCode;
    }

    /** {@code accepted} or {@code spooled}: the event is durable, the caller must not resend it. */
    public boolean isSuccess() {
        return this == ACCEPTED || this == SPOOLED;
    }
}
