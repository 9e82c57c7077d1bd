package io.sluice.locallambda.internal;

import io.sluice.locallambda.FaultSettings;
import io.sluice.locallambda.LambdaFunction;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /2015-03-31/functions/{name}/invocations}: the Lambda Invoke API. Order of checks: unknown
 * function or qualifier (404), outage fault (500 ServiceException or closed connection), payload over
 * 6,291,456 bytes (413), injected throttle or reserved concurrency exhausted (429), then the function runs on
 * its worker pool: 200 with {@code X-Amz-Executed-Version: $LATEST}, or 200 + {@code X-Amz-Function-Error:
 * Unhandled} when it throws or times out. {@code X-Amz-Invocation-Type}: RequestResponse (default), Event
 * (202 at once), DryRun (204).
 */
public final class InvokeApi {

    private static final Logger LOG = LoggerFactory.getLogger(InvokeApi.class);

    /** Synchronous invoke request and response payload limit. */
    public static final int MAX_PAYLOAD_BYTES = 6_291_456;

    public static final String ACCOUNT = "000000000000";
    public static final String REGION = "us-east-1";

    private final Vertx vertx;
    private final FunctionRegistry registry;

    public InvokeApi(Vertx vertx, FunctionRegistry registry) {
        this.vertx = vertx;
        this.registry = registry;
    }

    public static String arn(String name) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + name;
    }

    /** Accepts a name, a partial ARN ({@code 123456789012:function:name}) or a full ARN, with an optional qualifier. */
    static String[] nameAndQualifier(String raw) {
        String s = raw;
        int fn = s.indexOf("function:");
        if (fn >= 0) {
            s = s.substring(fn + "function:".length());
        }
        int colon = s.indexOf(':');
        return colon < 0 ? new String[] {s, null} : new String[] {s.substring(0, colon), s.substring(colon + 1)};
    }

    /**
     * Reads the body as a stream, keeping at most {@link #MAX_PAYLOAD_BYTES} (a larger body is drained and
     * answered 413 without being held in memory; no form decoding whatever the content type), then answers.
     */
    public void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        Buffer body = Buffer.buffer();
        long[] size = {0};
        request.handler(chunk -> {
            size[0] += chunk.length();
            if (size[0] <= MAX_PAYLOAD_BYTES) {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(t -> LOG.debug("invoke request failed: {}", t.toString()));
        request.endHandler(v -> handle(rc, size[0] > MAX_PAYLOAD_BYTES ? null : body.getBytes()));
        request.resume();
    }

    /** @param payload the request body, null when it was over the limit */
    private void handle(RoutingContext rc, byte[] payload) {
        HttpServerResponse response = rc.response();
        String requestId = UUID.randomUUID().toString();
        response.putHeader("x-amzn-RequestId", requestId);
        String[] nq = nameAndQualifier(rc.pathParam("name"));
        String qualifier =
                rc.request().getParam("Qualifier") != null ? rc.request().getParam("Qualifier") : nq[1];
        FunctionHost fn = registry.get(nq[0]);
        if (fn == null || (qualifier != null && !"$LATEST".equals(qualifier))) {
            LambdaErrors.notFound(response, arn(nq[0]) + (qualifier == null ? "" : ":" + qualifier));
            return;
        }
        FaultSettings faults = fn.faults().get();
        if (faults.outage()) {
            if (faults.outageMode() == FaultSettings.OutageMode.CLOSE_CONNECTION) {
                rc.request().connection().close();
            } else {
                LambdaErrors.serviceError(response, "Lambda is unavailable (injected outage of " + fn.name() + ")");
            }
            return;
        }
        if (payload == null) {
            LambdaErrors.tooLarge(response, MAX_PAYLOAD_BYTES);
            return;
        }
        String invocationType = rc.request().getHeader("X-Amz-Invocation-Type");
        invocationType = invocationType == null ? "RequestResponse" : invocationType;
        if (!invocationType.equals("RequestResponse")
                && !invocationType.equals("Event")
                && !invocationType.equals("DryRun")) {
            LambdaErrors.send(
                    response,
                    400,
                    "InvalidParameterValueException",
                    "User",
                    "X-Amz-Invocation-Type must be one of RequestResponse, Event, DryRun but was " + invocationType);
            return;
        }
        if (invocationType.equals("DryRun")) {
            response.setStatusCode(204).end();
            return;
        }
        if (faults.throttleRate() > 0 && ThreadLocalRandom.current().nextDouble() < faults.throttleRate()) {
            LambdaErrors.throttled(response);
            return;
        }
        if (!fn.tryAcquire()) {
            LambdaErrors.throttled(response);
            return;
        }
        registry.invocations(fn.name()).incrementAndGet();
        long start = System.nanoTime();
        Map<String, String> headers = invocationHeaders(rc, fn, requestId, faults);
        Context context = vertx.getOrCreateContext();
        boolean async = invocationType.equals("Event");
        boolean tail = "Tail".equalsIgnoreCase(rc.request().getHeader("X-Amz-Log-Type"));
        if (async) {
            response.setStatusCode(202).end();
        }
        fn.run(vertx, context, payload, headers, faults)
                .andThen(ar -> fn.release())
                .onSuccess(outcome -> {
                    if (async) {
                        logAsync(fn, requestId, outcome);
                    } else {
                        respond(response, requestId, outcome, tail ? (System.nanoTime() - start) / 1_000_000.0 : -1);
                    }
                })
                .onFailure(t -> {
                    if (!async) {
                        LambdaErrors.serviceError(response, t.getMessage());
                    }
                });
    }

    private static Map<String, String> invocationHeaders(
            RoutingContext rc, FunctionHost fn, String requestId, FaultSettings faults) {
        Map<String, String> h = new HashMap<>();
        h.put(LambdaFunction.REQUEST_ID, requestId);
        h.put(
                LambdaFunction.DEADLINE_MS,
                Long.toString(System.currentTimeMillis() + fn.timeout().toMillis()));
        h.put(LambdaFunction.FUNCTION_ARN, arn(fn.name()));
        String clientContext = rc.request().getHeader("X-Amz-Client-Context");
        if (clientContext != null) {
            h.put(LambdaFunction.CLIENT_CONTEXT, clientContext);
        }
        if (!faults.failOffsets().isEmpty()) {
            JsonArray offsets = faults.toJson().getJsonArray("failOffsets");
            h.put(LambdaFunction.FAIL_OFFSETS, offsets.encode());
        }
        if (faults.partialFailureRate() > 0) {
            h.put(LambdaFunction.PARTIAL_FAILURE_RATE, Double.toString(faults.partialFailureRate()));
        }
        return Map.copyOf(h);
    }

    private static void respond(HttpServerResponse response, String requestId, Outcome outcome, double durationMs) {
        if (response.closed()) {
            return;
        }
        response.putHeader("X-Amz-Executed-Version", "$LATEST").putHeader("Content-Type", "application/json");
        if (durationMs >= 0) {
            String log = "START RequestId: " + requestId + " Version: $LATEST\nEND RequestId: " + requestId
                    + "\nREPORT RequestId: " + requestId + "\tDuration: "
                    + String.format(Locale.ROOT, "%.2f", durationMs) + " ms\t\n";
            response.putHeader(
                    "X-Amz-Log-Result", Base64.getEncoder().encodeToString(log.getBytes(StandardCharsets.UTF_8)));
        }
        if (outcome instanceof Outcome.Success s && s.payload().length > MAX_PAYLOAD_BYTES) {
            outcome = new Outcome.Failure(
                    "Function.ResponseSizeTooLarge",
                    "Response payload size exceeded maximum allowed " + "payload size (" + MAX_PAYLOAD_BYTES
                            + " bytes).",
                    java.util.List.of());
        }
        if (outcome instanceof Outcome.Success s) {
            response.setStatusCode(200).end(Buffer.buffer(s.payload()));
        } else {
            response.setStatusCode(200)
                    .putHeader("X-Amz-Function-Error", "Unhandled")
                    .end(errorBody(requestId, outcome).toBuffer());
        }
    }

    static JsonObject errorBody(String requestId, Outcome outcome) {
        if (outcome instanceof Outcome.TimedOut t) {
            return new JsonObject()
                    .put("errorType", "Sandbox.Timedout")
                    .put(
                            "errorMessage",
                            "RequestId: " + requestId + " Error: Task timed out after "
                                    + String.format(Locale.ROOT, "%.2f", t.timeoutMs() / 1000.0) + " seconds");
        }
        Outcome.Failure f = (Outcome.Failure) outcome;
        return new JsonObject()
                .put("errorMessage", f.errorMessage())
                .put("errorType", f.errorType())
                .put("stackTrace", new JsonArray(new java.util.ArrayList<>(f.stackTrace())));
    }

    private static void logAsync(FunctionHost fn, String requestId, Outcome outcome) {
        if (!(outcome instanceof Outcome.Success)) {
            LOG.warn(
                    "async invocation failed function={} requestId={} error={}",
                    fn.name(),
                    requestId,
                    errorBody(requestId, outcome).encode());
        }
    }
}
