package io.sluice.batch;

import io.sluice.config.Cfg;

/**
 * When a batch closes: on {@code maxRecords}, on {@code maxBytes} of the Lambda payload (after base64
 * growth and the event envelope), or {@code lingerMs} after its first record, whichever comes first.
 */
public record BatchSettings(int maxRecords, int maxBytes, long lingerMs) {
    /** The synchronous Invoke payload limit of AWS Lambda. */
    public static final int LAMBDA_SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;

    public static BatchSettings from(Cfg c) {
        BatchSettings s = new BatchSettings(
                c.intIn("maxRecords", 1000, 1, 10_000),
                c.intIn("maxBytes", 5 * 1024 * 1024, 1024, LAMBDA_SYNC_PAYLOAD_LIMIT - 64 * 1024),
                c.longIn("lingerMs", 1000, 0, 60_000));
        c.done();
        return s;
    }
}
