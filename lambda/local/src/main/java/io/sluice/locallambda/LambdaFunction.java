package io.sluice.locallambda;

import java.util.Map;

/**
 * A function hosted by the local endpoint. Runs on a worker thread (never on an event loop), may block, and is
 * interrupted when its timeout expires. Throwing reports an {@code Unhandled} function error, as Lambda does.
 *
 * <p>Invocation headers (lower-case names): {@value #REQUEST_ID}, {@value #DEADLINE_MS} (epoch millis),
 * {@value #FUNCTION_ARN}, {@value #CLIENT_CONTEXT} (when the caller sent {@code X-Amz-Client-Context}) and
 * {@value #FAIL_OFFSETS} (the {@code failOffsets} fault as a JSON array, when set) and
 * {@value #PARTIAL_FAILURE_RATE} (the {@code partialFailureRate} fault as a decimal number, when above 0).
 */
@FunctionalInterface
public interface LambdaFunction {

    String REQUEST_ID = "lambda-runtime-aws-request-id";
    String DEADLINE_MS = "lambda-runtime-deadline-ms";
    String FUNCTION_ARN = "lambda-runtime-invoked-function-arn";
    String CLIENT_CONTEXT = "lambda-runtime-client-context";
    String FAIL_OFFSETS = "x-sluice-fail-offsets";
    String PARTIAL_FAILURE_RATE = "x-sluice-partial-failure-rate";

    byte[] invoke(byte[] payload, Map<String, String> invocationHeaders) throws Exception;
}
