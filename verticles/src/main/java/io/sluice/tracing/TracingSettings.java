package io.sluice.tracing;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
import java.net.URI;
import java.util.Map;

/**
 * The {@code tracing} section: OpenTelemetry traces exported over OTLP/HTTP (protobuf). Off by default; when off
 * no SDK object is created and every hook checks one boolean (see docs/tracing.md).
 *
 * @param enabled         export spans
 * @param endpoint        OTLP/HTTP traces URL, e.g. {@code http://localhost:4318/v1/traces}
 * @param headers         extra request headers (e.g. an API key of a vendor's collector)
 * @param sampleRatio     the parent-based ratio sampler's ratio for traces started here (0..1); a sampled or
 *                        unsampled parent decides for its children
 * @param serviceName     the {@code service.name} resource attribute
 * @param maxQueueSize    spans waiting for export; beyond it spans are dropped (counted by the SDK), never waited for
 * @param exportTimeoutMs bound of one export request
 * @param maxLinks        links per consumer span (one per record's context, the first ones of a batch)
 */
public record TracingSettings(
        boolean enabled,
        URI endpoint,
        Map<String, String> headers,
        double sampleRatio,
        String serviceName,
        int maxQueueSize,
        long exportTimeoutMs,
        int maxLinks) {

    public static final String DEFAULT_ENDPOINT = "http://localhost:4318/v1/traces";

    public TracingSettings {
        headers = Map.copyOf(headers);
        if (sampleRatio < 0 || sampleRatio > 1) {
            throw new IllegalArgumentException("sampleRatio must be within 0..1, got " + sampleRatio);
        }
    }

    /** Tracing off (the default). */
    public static TracingSettings off() {
        return new TracingSettings(false, URI.create(DEFAULT_ENDPOINT), Map.of(), 1.0, "sluice", 8192, 10_000, 128);
    }

    /** Tracing on, exporting to {@code endpoint}, every trace sampled. */
    public static TracingSettings on(URI endpoint) {
        return new TracingSettings(true, endpoint, Map.of(), 1.0, "sluice", 8192, 10_000, 128);
    }

    private static final Key<Boolean> ENABLED = Key.bool(
            "enabled",
            false,
            "export OpenTelemetry spans over OTLP/HTTP "
                    + "(off: no SDK object is created, each hook checks one boolean)");
    private static final Key<String> ENDPOINT = Key.string("endpoint", DEFAULT_ENDPOINT, "the OTLP/HTTP traces URL");
    private static final Key<java.util.Map<String, String>> HEADERS =
            Key.properties("headers", "extra export request headers (e.g. a vendor collector's API key)");
    private static final Key<Double> SAMPLE_RATIO = Key.number(
            "sampleRatio",
            1.0,
            0.0,
            1.0,
            "the parent-based ratio "
                    + "sampler's ratio for traces started here; a sampled or unsampled parent decides for its children");
    private static final Key<String> SERVICE_NAME =
            Key.string("serviceName", "sluice", "the service.name resource attribute");
    private static final Key<Integer> MAX_QUEUE_SIZE = Key.integer(
            "maxQueueSize",
            8192,
            16,
            1_000_000,
            "spans waiting for export; beyond it spans are dropped, never waited for");
    private static final Key<Long> EXPORT_TIMEOUT_MS =
            Key.longInt("exportTimeoutMs", 10_000, 100, 120_000, "bound of one export request");
    private static final Key<Integer> MAX_LINKS = Key.integer(
            "maxLinks", 128, 0, 1024, "links per consumer span (one per record's context, the first ones of a batch)");
    /** {@code tracing}. */
    public static final Section SECTION = Section.of(
            "OpenTelemetry tracing (docs/tracing.md)",
            ENABLED,
            ENDPOINT,
            HEADERS,
            SAMPLE_RATIO,
            SERVICE_NAME,
            MAX_QUEUE_SIZE,
            EXPORT_TIMEOUT_MS,
            MAX_LINKS);

    public static TracingSettings from(Cfg c) {
        boolean enabled = c.get(ENABLED);
        String url = c.get(ENDPOINT);
        URI endpoint;
        try {
            endpoint = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(c.key("endpoint"), "must be an http(s) URL, got '" + url + "'");
        }
        if (endpoint.getScheme() == null || !endpoint.getScheme().matches("https?") || endpoint.getHost() == null) {
            throw new ConfigException(c.key("endpoint"), "must be an http(s) URL with a host, got '" + url + "'");
        }
        TracingSettings s = new TracingSettings(
                enabled,
                endpoint,
                c.get(HEADERS),
                c.get(SAMPLE_RATIO),
                c.get(SERVICE_NAME),
                c.get(MAX_QUEUE_SIZE),
                c.get(EXPORT_TIMEOUT_MS),
                c.get(MAX_LINKS));
        c.done();
        return s;
    }
}
