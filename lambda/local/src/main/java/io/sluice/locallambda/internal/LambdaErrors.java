package io.sluice.locallambda.internal;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Service errors the way Lambda's REST-JSON protocol sends them: the error code in {@code x-amzn-ErrorType}
 * (the SDK maps it to its exception class), a JSON body with {@code Type} and {@code message}, plus
 * {@code Reason} for throttling.
 */
public final class LambdaErrors {

    public static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";

    private LambdaErrors() {}

    public static void send(HttpServerResponse response, int status, String code, String type, String message) {
        send(response, status, code, new JsonObject().put("Type", type).put("message", message));
    }

    public static void send(HttpServerResponse response, int status, String code, JsonObject body) {
        response.setStatusCode(status)
                .putHeader(ERROR_TYPE_HEADER, code)
                .putHeader("Content-Type", "application/json")
                .end(body.toBuffer());
    }

    public static void notFound(HttpServerResponse response, String arn) {
        send(response, 404, "ResourceNotFoundException", "User", "Function not found: " + arn);
    }

    public static void tooLarge(HttpServerResponse response, int limit) {
        send(
                response,
                413,
                "RequestTooLargeException",
                "User",
                "Request must be smaller than " + limit + " bytes for the InvokeFunction operation");
    }

    public static void throttled(HttpServerResponse response) {
        send(
                response,
                429,
                "TooManyRequestsException",
                new JsonObject()
                        .put("Reason", "ReservedFunctionConcurrentInvocationLimitExceeded")
                        .put("Type", "User")
                        .put("message", "Rate Exceeded."));
    }

    public static void serviceError(HttpServerResponse response, String message) {
        send(response, 500, "ServiceException", "Service", message);
    }
}
