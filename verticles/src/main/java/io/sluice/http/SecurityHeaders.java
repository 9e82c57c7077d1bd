package io.sluice.http;

import io.vertx.core.http.HttpServerResponse;

/**
 * Headers every answer of both servers carries: no framing by other pages (clickjacking:
 * {@code X-Frame-Options: DENY} and CSP {@code frame-ancestors 'none'}) and no content sniffing.
 */
public final class SecurityHeaders {
    public static final String CSP = "frame-ancestors 'none'";

    private SecurityHeaders() {}

    public static void add(HttpServerResponse res) {
        res.putHeader("X-Frame-Options", "DENY")
                .putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff");
    }
}
