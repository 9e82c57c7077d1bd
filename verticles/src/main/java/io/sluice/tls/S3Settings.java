package io.sluice.tls;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
import java.net.URI;

/**
 * {@code kafka.tls.s3}: how {@code s3://} TLS material is fetched. Credentials come from the AWS SDK's default
 * chain (on EC2 the instance profile); nothing secret is configured here.
 *
 * @param region    the bucket's region, or null for the SDK's default region chain ({@code AWS_REGION}, profile,
 *                  instance metadata)
 * @param endpoint  an endpoint override (an S3-compatible server, a VPC endpoint), or null for AWS's
 * @param pathStyle path-style requests ({@code endpoint/bucket/key}) instead of virtual-hosted ones
 * @param timeoutMs bound of one S3 call, retries included
 */
public record S3Settings(String region, URI endpoint, boolean pathStyle, long timeoutMs) {

    private static final Key<String> REGION = Key.string(
            "region",
            null,
            "the bucket's region; unset = the SDK's default region chain (AWS_REGION, profile, instance metadata)");
    private static final Key<String> ENDPOINT = Key.string(
            "endpoint",
            null,
            "an endpoint override, http(s)://host[:port] (an S3-compatible server, a VPC endpoint); unset = AWS");
    private static final Key<Boolean> PATH_STYLE =
            Key.bool("pathStyle", false, "path-style requests (endpoint/bucket/key) instead of virtual-hosted ones");
    private static final Key<Long> TIMEOUT_MS =
            Key.longInt("timeoutMs", 10_000, 100, 120_000, "bound of one S3 call, retries included");
    /** {@code kafka.tls.s3}. */
    static final Key<Cfg> KEY = Key.object(
            "s3",
            Section.of(
                    "how s3:// TLS material is fetched (credentials: the SDK's "
                            + "default chain, on EC2 the instance profile)",
                    REGION,
                    ENDPOINT,
                    PATH_STYLE,
                    TIMEOUT_MS));

    /** Reads {@code <parent>.s3} (defaults when absent). */
    static S3Settings from(Cfg parent) {
        Cfg c = parent.get(KEY);
        String region = c.get(REGION);
        String endpoint = c.get(ENDPOINT);
        boolean pathStyle = c.get(PATH_STYLE);
        long timeout = c.get(TIMEOUT_MS);
        c.done();
        if (region != null && !region.matches("[a-z0-9\\-]{2,32}")) {
            throw new ConfigException(
                    c.key("region"), "must be an AWS region name such as eu-west-1, got '" + region + "'");
        }
        URI uri = null;
        if (endpoint != null && !endpoint.isBlank()) {
            try {
                uri = URI.create(endpoint);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(c.key("endpoint"), "is not a URI: " + e.getMessage());
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigException(
                        c.key("endpoint"), "must be an http(s)://host[:port] URI, got '" + endpoint + "'");
            }
        }
        return new S3Settings(region, uri, pathStyle, timeout);
    }
}
