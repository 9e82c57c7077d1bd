package io.sluice.admin;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Guards mutating endpoints with {@code Authorization: Bearer <token>}: 401 (with
 * {@code WWW-Authenticate}) when the header is missing or not a bearer credential, 403 when the token
 * is wrong, 429 with {@code Retry-After} while the client is locked out for guessing ({@link AuthThrottle}).
 * Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken
 * depends neither on where the first difference is nor on the length of the guess.
 */
public final class BearerAuth implements Handler<RoutingContext> {
    private static final String PREFIX = "bearer ";
    private final byte[] expectedDigest;
    private final AuthThrottle throttle;

    public BearerAuth(String token) {
        this(token, null);
    }

    /** @param throttle per-client slow-down of wrong tokens (429 while locked), or null for none */
    public BearerAuth(String token, AuthThrottle throttle) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("token is required");
        }
        this.expectedDigest = sha256(token);
        this.throttle = throttle;
    }

    /** The outcome of checking an {@code Authorization} header value. */
    public enum Check {
        MISSING,
        WRONG,
        OK
    }

    public Check check(String authorization) {
        if (authorization == null
                || authorization.length() <= PREFIX.length()
                || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Check.MISSING;
        }
        String presented = authorization.substring(PREFIX.length()).trim();
        if (presented.isEmpty()) {
            return Check.MISSING;
        }
        return MessageDigest.isEqual(expectedDigest, sha256(presented)) ? Check.OK : Check.WRONG;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String client = ctx.request().remoteAddress() == null
                ? "unknown"
                : ctx.request().remoteAddress().hostAddress();
        long wait = throttle == null ? 0 : throttle.waitMs(client);
        if (wait > 0) {
            ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, (wait + 999) / 1000)));
            HttpErrors.send(ctx, 429, "too many wrong tokens from this client; retry after the Retry-After seconds");
            return;
        }
        switch (check(ctx.request().getHeader("Authorization"))) {
            case OK -> {
                if (throttle != null) {
                    throttle.succeeded(client);
                }
                ctx.next();
            }
            case MISSING -> {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"sluice-admin\"");
                HttpErrors.send(ctx, 401, "missing bearer token: send 'Authorization: Bearer <admin token>'");
            }
            case WRONG -> {
                if (throttle != null) {
                    throttle.failed(client);
                }
                HttpErrors.send(ctx, 403, "the bearer token is not valid");
            }
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
