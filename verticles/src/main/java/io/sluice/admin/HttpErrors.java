package io.sluice.admin;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON error answers: {@code {"status":400,"error":"…"}} (and {@code field} for a bad body field). */
final class HttpErrors {
    private HttpErrors() {}

    static void send(RoutingContext ctx, int status, String message) {
        send(ctx, status, new JsonObject().put("status", status).put("error", message));
    }

    static void send(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }

    static void badRequest(RoutingContext ctx, BadRequest e) {
        JsonObject body = new JsonObject().put("status", 400).put("error", e.getMessage());
        if (e.field() != null) {
            body.put("field", e.field());
        }
        send(ctx, 400, body);
    }
}
