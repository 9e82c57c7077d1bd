package io.sluice.dispatch;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;

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
public record LambdaSettings(String functionName, String region, URI endpointOverride, long timeoutMs, int maxConcurrency) {

    public static LambdaSettings from(Cfg c) {
        String fn = c.requiredString("functionName");
        String region = c.string("region", "us-east-1");
        String ep = c.string("endpointOverride", null);
        long timeout = c.longIn("timeoutMs", 60_000, 100, 900_000);
        int conc = c.intIn("maxConcurrency", 64, 1, 10_000);
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
