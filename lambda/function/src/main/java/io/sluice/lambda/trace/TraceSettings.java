package io.sluice.lambda.trace;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The function's tracing from the standard OpenTelemetry environment variables (a system property of the same name
 * in lower-case dotted form, e.g. {@code otel.exporter.otlp.endpoint}, is the fallback for local runs):
 * <ul>
 *   <li>{@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (the full URL) or {@code OTEL_EXPORTER_OTLP_ENDPOINT} (the base;
 *       {@code /v1/traces} is appended): tracing is on when one is set;</li>
 *   <li>{@code OTEL_SDK_DISABLED=true}: off whatever else is set;</li>
 *   <li>{@code OTEL_EXPORTER_OTLP_HEADERS} ({@code k=v,k2=v2}), {@code OTEL_SERVICE_NAME} (default
 *       {@code sluice-dispatcher}), {@code OTEL_TRACES_SAMPLER_ARG} (the parent-based ratio for traces started
 *       here, default 1.0), {@code OTEL_BSP_EXPORT_TIMEOUT} (ms, default 1000, 1..30000: how long an invocation
 *       waits at its end for its spans to be exported; a collector that does not answer costs at most this).</li>
 * </ul>
 */
public record TraceSettings(
        boolean enabled,
        URI endpoint,
        Map<String, String> headers,
        String serviceName,
        double sampleRatio,
        long flushTimeoutMs) {

    public static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public static final String TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public static final String HEADERS = "OTEL_EXPORTER_OTLP_HEADERS";
    public static final String SERVICE_NAME = "OTEL_SERVICE_NAME";
    public static final String SAMPLER_ARG = "OTEL_TRACES_SAMPLER_ARG";
    public static final String DISABLED = "OTEL_SDK_DISABLED";
    public static final String EXPORT_TIMEOUT = "OTEL_BSP_EXPORT_TIMEOUT";

    public TraceSettings {
        headers = Map.copyOf(headers);
        if (sampleRatio < 0 || sampleRatio > 1 || Double.isNaN(sampleRatio)) {
            throw new IllegalArgumentException(SAMPLER_ARG + " must be within 0..1, got " + sampleRatio);
        }
        if (flushTimeoutMs < 1 || flushTimeoutMs > 30_000) {
            throw new IllegalArgumentException(EXPORT_TIMEOUT + " must be within 1..30000 ms, got " + flushTimeoutMs);
        }
    }

    public static TraceSettings off() {
        return new TraceSettings(false, null, Map.of(), "sluice-dispatcher", 1.0, 1_000L);
    }

    public static TraceSettings from(Map<String, String> env, Properties props) {
        if ("true".equalsIgnoreCase(get(env, props, DISABLED))) {
            return off();
        }
        String traces = get(env, props, TRACES_ENDPOINT);
        String base = get(env, props, ENDPOINT);
        if (traces == null && base == null) {
            return off();
        }
        String url = traces != null ? traces : base.replaceAll("/+$", "") + "/v1/traces";
        URI endpoint;
        try {
            endpoint = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    (traces != null ? TRACES_ENDPOINT : ENDPOINT) + " must be a URL, got '" + url + "'");
        }
        if (endpoint.getScheme() == null || !endpoint.getScheme().matches("https?") || endpoint.getHost() == null) {
            throw new IllegalArgumentException((traces != null ? TRACES_ENDPOINT : ENDPOINT)
                    + " must be an http(s) URL with a host, got '" + url + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String h = get(env, props, HEADERS);
        if (h != null) {
            for (String part : h.split(",")) {
                int eq = part.indexOf('=');
                if (part.isBlank()) {
                    continue;
                }
                if (eq <= 0) {
                    throw new IllegalArgumentException(
                            HEADERS + " must be k=v pairs separated by commas, got '" + part + "'");
                }
                headers.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String ratio = get(env, props, SAMPLER_ARG);
        double r;
        try {
            r = ratio == null ? 1.0 : Double.parseDouble(ratio.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SAMPLER_ARG + " must be a number within 0..1, got '" + ratio + "'");
        }
        String name = get(env, props, SERVICE_NAME);
        String flush = get(env, props, EXPORT_TIMEOUT);
        long flushMs;
        try {
            flushMs = flush == null ? 1_000L : Long.parseLong(flush.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    EXPORT_TIMEOUT + " must be a number of milliseconds, got '" + flush + "'");
        }
        return new TraceSettings(true, endpoint, headers, name == null ? "sluice-dispatcher" : name, r, flushMs);
    }

    private static String get(Map<String, String> env, Properties props, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            v = props.getProperty(name.toLowerCase(Locale.ROOT).replace('_', '.'));
        }
        return v == null || v.isBlank() ? null : v;
    }
}
