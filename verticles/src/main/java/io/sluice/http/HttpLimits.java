package io.sluice.http;

import io.sluice.config.Cfg;
import io.sluice.config.Key;
import java.util.List;

/**
 * Per-server connection bounds, read from the server's section ({@code ingest} or {@code admin}):
 * <pre>{@code
 * "maxConnections": 1000,     // open connections at once; more are closed on accept (1-100000)
 * "headerTimeoutMs": 10000,   // a new connection must complete its first request head within this (100-600000)
 * "bodyTimeoutMs": 30000,     // a request's body must arrive completely within this after its head (100-600000)
 * "idleTimeoutMs": 60000      // a keep-alive connection is closed when no new request head arrives within this
 *                             // after the last answer (100-3600000); also the socket idle timeout
 * }</pre>
 *
 * @param maxConnections  open connections at once
 * @param headerTimeoutMs connection open → first complete request head
 * @param bodyTimeoutMs   request head → complete body (answered 408 and closed when exceeded)
 * @param idleTimeoutMs   last answer → next request head; also no bytes either way
 */
public record HttpLimits(int maxConnections, long headerTimeoutMs, long bodyTimeoutMs, long idleTimeoutMs) {
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    public static final long DEFAULT_HEADER_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_BODY_TIMEOUT_MS = 30_000;
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;

    public HttpLimits {
        if (maxConnections < 1 || headerTimeoutMs < 1 || bodyTimeoutMs < 1 || idleTimeoutMs < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxConnections + ", " + headerTimeoutMs
                    + ", " + bodyTimeoutMs + ", " + idleTimeoutMs);
        }
    }

    /** 1,000 connections, 10 s header, 30 s body, 60 s idle. */
    public static HttpLimits defaults() {
        return new HttpLimits(
                DEFAULT_MAX_CONNECTIONS, DEFAULT_HEADER_TIMEOUT_MS, DEFAULT_BODY_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS);
    }

    private static final Key<Integer> MAX_CONNECTIONS = Key.integer(
            "maxConnections",
            DEFAULT_MAX_CONNECTIONS,
            1,
            100_000,
            "open connections at once; more are closed on accept");
    private static final Key<Long> HEADER_TIMEOUT_MS = Key.longInt(
            "headerTimeoutMs",
            DEFAULT_HEADER_TIMEOUT_MS,
            100,
            600_000,
            "a new connection must complete its first request head within this");
    private static final Key<Long> BODY_TIMEOUT_MS = Key.longInt(
            "bodyTimeoutMs",
            DEFAULT_BODY_TIMEOUT_MS,
            100,
            600_000,
            "a request's body must arrive completely within this after its head (else 408 and closed)");
    private static final Key<Long> IDLE_TIMEOUT_MS = Key.longInt(
            "idleTimeoutMs",
            DEFAULT_IDLE_TIMEOUT_MS,
            100,
            3_600_000,
            "a keep-alive connection is closed when no new request head arrives within this after the last answer");
    /** The four keys, part of each server's section. */
    public static final List<Key<?>> KEYS =
            List.of(MAX_CONNECTIONS, HEADER_TIMEOUT_MS, BODY_TIMEOUT_MS, IDLE_TIMEOUT_MS);

    /** Reads the four keys of a server section (the caller calls {@link Cfg#done()}). */
    public static HttpLimits from(Cfg c) {
        return new HttpLimits(
                c.get(MAX_CONNECTIONS), c.get(HEADER_TIMEOUT_MS), c.get(BODY_TIMEOUT_MS), c.get(IDLE_TIMEOUT_MS));
    }

    /** How often the guard looks at its connections: a quarter of the shortest timeout, 20 ms - 1 s. */
    long sweepMs() {
        long shortest = Math.min(headerTimeoutMs, Math.min(bodyTimeoutMs, idleTimeoutMs));
        return Math.max(20, Math.min(1_000, shortest / 4));
    }
}
