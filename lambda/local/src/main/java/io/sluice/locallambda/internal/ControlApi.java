package io.sluice.locallambda.internal;

import io.sluice.locallambda.FaultInjection;
import io.sluice.locallambda.FaultSettings;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Runtime control of hosted functions:
 * {@code GET /local/functions}, {@code GET|PUT|DELETE /local/functions/{name}/faults}. PUT merges the given
 * fields into the current settings; DELETE resets them; a bad body answers 400 with a message naming the field
 * and its allowed range.
 */
public final class ControlApi {

    private final FunctionRegistry registry;

    public ControlApi(FunctionRegistry registry) {
        this.registry = registry;
    }

    public void list(RoutingContext rc) {
        JsonArray out = new JsonArray();
        for (String name : registry.names()) {
            FunctionHost fn = registry.get(name);
            if (fn != null) {
                out.add(new JsonObject()
                        .put("name", name)
                        .put("arn", InvokeApi.arn(name))
                        .put("concurrency", fn.concurrency())
                        .put("timeoutMs", fn.timeout().toMillis())
                        .put("inFlight", fn.inFlight())
                        .put("faults", fn.faults().get().toJson()));
            }
        }
        json(rc, 200, out.encode());
    }

    public void getFaults(RoutingContext rc) {
        FunctionHost fn = registry.get(rc.pathParam("name"));
        if (fn == null) {
            notFound(rc);
            return;
        }
        json(rc, 200, fn.faults().get().toJson().encode());
    }

    public void putFaults(RoutingContext rc) {
        FunctionHost fn = registry.get(rc.pathParam("name"));
        if (fn == null) {
            notFound(rc);
            return;
        }
        JsonObject patch;
        try {
            patch = rc.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            json(
                    rc,
                    400,
                    new JsonObject()
                            .put("message", "body must be a JSON object: " + e.getMessage())
                            .encode());
            return;
        }
        if (patch == null) {
            json(
                    rc,
                    400,
                    new JsonObject()
                            .put("message", "body must be a JSON object")
                            .encode());
            return;
        }
        FaultInjection faults = fn.faults();
        try {
            FaultSettings applied = faults.apply(patch);
            json(rc, 200, applied.toJson().encode());
        } catch (IllegalArgumentException e) {
            json(rc, 400, new JsonObject().put("message", e.getMessage()).encode());
        }
    }

    public void deleteFaults(RoutingContext rc) {
        FunctionHost fn = registry.get(rc.pathParam("name"));
        if (fn == null) {
            notFound(rc);
            return;
        }
        json(rc, 200, fn.faults().reset().get().toJson().encode());
    }

    private static void notFound(RoutingContext rc) {
        json(
                rc,
                404,
                new JsonObject()
                        .put("message", "function not registered: " + rc.pathParam("name"))
                        .encode());
    }

    static void json(RoutingContext rc, int status, String body) {
        rc.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body);
    }
}
