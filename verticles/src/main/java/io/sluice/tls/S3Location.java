package io.sluice.tls;

import io.sluice.config.ConfigException;

/**
 * An S3 object named in the config as {@code s3://bucket/key}.
 *
 * @param bucket the bucket name
 * @param key    the object key (without the leading slash)
 */
public record S3Location(String bucket, String key) {
    /** The URI scheme prefix, {@code s3://}. */
    public static final String SCHEME = "s3://";

    /** Parses {@code s3://bucket/key}; {@code configKey} names the setting in the error. */
    public static S3Location parse(String configKey, String uri) {
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new ConfigException(
                    configKey, "must be s3://bucket/key (a bucket and an object key), got '" + uri + "'");
        }
        String bucket = rest.substring(0, slash);
        if (!bucket.matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]")) {
            throw new ConfigException(
                    configKey, "'" + bucket + "' is not an S3 bucket name (3-63 of a-z, 0-9, '.', '-')");
        }
        return new S3Location(bucket, rest.substring(slash + 1));
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }
}
