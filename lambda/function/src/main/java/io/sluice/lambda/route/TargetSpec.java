package io.sluice.lambda.route;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One configured target. {@code http}: POST of the routed records as a JSON array to {@code url} with
 * {@code timeoutMs}; {@code log}: logs each routed record (always succeeds).
 */
public record TargetSpec(String name, Type type, URI url, Duration timeout) {

    /** Target kinds. */
    public enum Type {
        HTTP,
        LOG
    }

    /** Default HTTP request timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public TargetSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (type == Type.HTTP) {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    public static TargetSpec http(String name, URI url, Duration timeout) {
        return new TargetSpec(name, Type.HTTP, url, timeout);
    }

    public static TargetSpec log(String name) {
        return new TargetSpec(name, Type.LOG, null, null);
    }
}
