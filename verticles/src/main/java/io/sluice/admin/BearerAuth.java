package io.sluice.admin;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Guards mutating endpoints with {@code Authorization: Bearer <token>}: 401 (with
 * {@code WWW-Authenticate}) when the header is missing or not a bearer credential, 403 when the token
 * is wrong. Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken
 * depends neither on where the first difference is nor on the length of the guess.
 */
public final class BearerAuth implements Handler<RoutingContext> {
    private static final String PREFIX = "bearer ";
    private final byte[] expectedDigest;

    public BearerAuth(String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("token is required");
        }
        this.expectedDigest = sha256(token);
    }

    /** The outcome of checking an {@code Authorization} header value. */
    public enum Check { MISSING, WRONG, OK }

    public Check check(String authorization) {
        if (authorization == null || authorization.length() <= PREFIX.length()
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
        switch (check(ctx.request().getHeader("Authorization"))) {
            case OK -> ctx.next();
            case MISSING -> {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"sluice-admin\"");
                HttpErrors.send(ctx, 401, "missing bearer token: send 'Authorization: Bearer <admin token>'");
            }
            case WRONG -> HttpErrors.send(ctx, 403, "the bearer token is not valid");
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
