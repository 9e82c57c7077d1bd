package io.sluice.dispatch;

/** Why an invocation failed; the name is the {@code sluice-error-class} DLQ header and a metric tag. */
enum FailureClass {
    /** 429 TooManyRequests: the function's concurrency is exhausted. */
    THROTTLED("throttled"),
    /** 5xx from the Lambda service. */
    SERVER_ERROR("server-error"),
    /** Connection refused/reset, DNS, TLS: nothing reached the function, or the answer was lost. */
    NETWORK("network"),
    /** The API call timed out. */
    TIMEOUT("timeout"),
    /** The function ran and failed ({@code X-Amz-Function-Error}). */
    FUNCTION_ERROR("function-error"),
    /** The function reported these records as failed (batchItemFailures). */
    PARTIAL_FAILURE("partial-failure"),
    /** 413: the payload is over the Invoke limit. */
    TOO_LARGE("too-large"),
    /** The function reported the record as permanently invalid. */
    INVALID_RECORD("invalid-record"),
    /** Other 4xx (function not found, access denied): configuration, not transient. */
    CLIENT_ERROR("client-error");

    private final String label;

    FailureClass(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
