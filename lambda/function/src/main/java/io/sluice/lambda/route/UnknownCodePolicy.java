package io.sluice.lambda.route;

/** What happens to a record whose code has no route. */
public enum UnknownCodePolicy {
    /** Send it to the default targets (requires a non-empty {@code default}). */
    DEFAULT,
    /** Report it in {@code invalidRecords} ("no route for code N") so the caller dead-letters it. */
    INVALID,
    /** Acknowledge it without delivering (logged). */
    DROP
}
