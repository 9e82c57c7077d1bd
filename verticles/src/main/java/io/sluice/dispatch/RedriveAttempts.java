package io.sluice.dispatch;

import java.nio.charset.StandardCharsets;

/**
 * The redrive headers and the parking rule, shared by the DLQ writer (service) and {@code dlq redrive} (command).
 * Pure logic.
 *
 * <p>A redriven record carries {@value #H_REDRIVE_ID} (the run that re-produced it), {@value #H_REDRIVE_ATTEMPT}
 * (how many times it has been redriven: 1 after the first redrive) and {@value #H_REDRIVE_FROM} (the DLQ record it came
 * from, {@code topic-partition@offset}). When it fails again, the DLQ writer copies these headers (once, not doubled)
 * and writes it to the DLQ — or, when its attempt is {@code >= redrive.maxAttempts}, to the parking topic. The next
 * redrive of it produces attempt + 1. So a record is redriven at most {@code maxAttempts} times; after the last
 * failure it is parked, never lost.
 */
public final class RedriveAttempts {
    public static final String H_REDRIVE_ID = "sluice-redrive-id";
    public static final String H_REDRIVE_ATTEMPT = "sluice-redrive-attempt";
    public static final String H_REDRIVE_FROM = "sluice-redrive-from";
    /** On a parked record: why it was parked. */
    public static final String H_PARKED = "sluice-parked";

    private RedriveAttempts() {}

    /** The attempt a header value says; 0 when absent or not a non-negative number (never redriven). */
    public static int attemptOf(byte[] headerValue) {
        if (headerValue == null || headerValue.length == 0 || headerValue.length > 9) {
            return 0;
        }
        int n = 0;
        for (byte b : headerValue) {
            if (b < '0' || b > '9') {
                return 0;
            }
            n = n * 10 + (b - '0');
        }
        return n;
    }

    /** A record failing at redrive attempt {@code attempt} is parked rather than dead-lettered again. */
    public static boolean parked(int attempt, int maxAttempts) {
        return attempt >= maxAttempts;
    }

    public static byte[] header(int attempt) {
        return Integer.toString(attempt).getBytes(StandardCharsets.UTF_8);
    }
}
