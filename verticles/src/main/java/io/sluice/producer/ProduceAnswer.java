package io.sluice.producer;

/**
 * The answer classes of {@code sluice.produce}, with the event-bus failure code each one uses (the
 * HTTP ingest maps them to the same status codes).
 */
public enum ProduceAnswer {
    ACCEPTED("accepted", 0),
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
}
