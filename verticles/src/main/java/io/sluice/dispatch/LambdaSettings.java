package io.sluice.dispatch;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
import java.net.URI;

/**
 * The Lambda function a pipeline invokes.
 *
 * @param functionName     name or ARN
 * @param region           AWS region
 * @param endpointOverride Invoke endpoint URL (the local endpoint in local mode); null = AWS
 * @param timeoutMs        per-invocation API call timeout
 * @param maxConcurrency   HTTP connections to the endpoint (and, with the key-ordering issue, in-flight invocations)
 */
public record LambdaSettings(
        String functionName, String region, URI endpointOverride, long timeoutMs, int maxConcurrency) {

    private static final Key<String> FUNCTION_NAME = Key.required("functionName", "the function's name or ARN");
    private static final Key<String> REGION = Key.string("region", "us-east-1", "AWS region");
    private static final Key<String> ENDPOINT_OVERRIDE = Key.string(
            "endpointOverride",
            null,
            "Invoke endpoint URL, http(s); unset = AWS (local mode fills in the local Lambda endpoint)");
    private static final Key<Long> TIMEOUT_MS =
            Key.longInt("timeoutMs", 60_000, 100, 900_000, "per-invocation API call timeout");
    private static final Key<Integer> MAX_CONCURRENCY = Key.integer(
            "maxConcurrency", 64, 1, 10_000, "invocations in flight (and HTTP connections to the endpoint)");
    /** {@code pipelines[].lambda}. */
    public static final Section SECTION = Section.of(
            "the Lambda function the pipeline invokes",
            FUNCTION_NAME,
            REGION,
            ENDPOINT_OVERRIDE,
            TIMEOUT_MS,
            MAX_CONCURRENCY);

    public static LambdaSettings from(Cfg c) {
        String fn = c.get(FUNCTION_NAME);
        String region = c.get(REGION);
        String ep = c.get(ENDPOINT_OVERRIDE);
        long timeout = c.get(TIMEOUT_MS);
        int conc = c.get(MAX_CONCURRENCY);
        c.done();
        URI uri = null;
        if (ep != null) {
            try {
                uri = URI.create(ep);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(c.key("endpointOverride"), "must be an http(s) URL, got '" + ep + "'");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(c.key("endpointOverride"), "must be an http(s) URL, got '" + ep + "'");
            }
        }
        return new LambdaSettings(fn, region, uri, timeout, conc);
    }

    public LambdaSettings withEndpointOverride(URI endpoint) {
        return new LambdaSettings(functionName, region, endpoint, timeoutMs, maxConcurrency);
    }
}
