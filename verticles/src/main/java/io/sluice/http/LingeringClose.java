package io.sluice.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

/**
 * Closes the connection of a refused request once the client has sent the rest of its body (read and dropped),
 * bounded by {@link #LINGER_MS} and {@link #LINGER_BYTES}: closing with unread bytes makes the kernel reset the
 * connection, which can destroy the answer before the client reads it (RFC 9112, 9.6: a lingering close). Used by
 * every refusal that closes (the ingest's and {@link ConnectionGuard}'s, which the admin server uses too).
 */
public final class LingeringClose {
    /** How long a refused request's remaining body is read and dropped before its connection is closed. */
    static final long LINGER_MS = 2_000;
    /** How much of it at most. */
    static final long LINGER_BYTES = 64L * 1024 * 1024;

    private LingeringClose() {}

    /** Call once the answer to {@code req} is written; runs on the request's event loop. */
    public static void close(Vertx vertx, HttpServerRequest req) {
        HttpConnection conn = req.connection();
        if (req.isEnded()) {
            conn.close();
            return;
        }
        long timer = vertx.setTimer(LINGER_MS, t -> conn.close());
        Runnable closeNow = () -> {
            vertx.cancelTimer(timer);
            conn.close();
        };
        long[] dropped = {0};
        req.handler(chunk -> {
            dropped[0] += chunk.length();
            if (dropped[0] > LINGER_BYTES) {
                closeNow.run();
            }
        });
        req.endHandler(v -> closeNow.run());
        req.exceptionHandler(e -> closeNow.run());
        req.resume();
    }
}
