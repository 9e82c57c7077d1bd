package io.sluice.ingest;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
import io.sluice.http.HttpLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP ingest's configuration (key {@code ingest}).
 *
 * <pre>{@code
 * "ingest": {
 *   "enabled": false,            // deploy the HTTP ingest (POST /v1/events)
 *   "host": "127.0.0.1",         // bind address
 *   "port": 8081,                // 0 = a free port (see Sluice#ingestPort())
 *   "maxBodyBytes": 1048576,     // 1 KiB - 64 MiB; larger bodies (also once inflated) are answered 413
 *   "maxEventsPerRequest": 10000,// 1 - 100000; more events are answered 413
 *   "drainTimeoutMs": 10000,     // graceful stop: how long in-flight requests may take to get their answers
 *   "allowedHosts": ["localhost", "127.0.0.1", "[::1]"], // Host header values served (port ignored); "*" = any.
 *                                // Default: those three plus the bind host; required when binding 0.0.0.0 / ::
 *   "maxConnections": 1000, "headerTimeoutMs": 10000, "bodyTimeoutMs": 30000, "idleTimeoutMs": 60000
 *                                // see HttpLimits
 *   "tls": {...},                // see io.sluice.tls.ServerTls; off by default
 *   "auth": {...}                // named bearer tokens / certificate subjects, see IngestAuth; off by default
 * }
 * }</pre>
 *
 * @param enabled             deploy the ingest verticle
 * @param host                bind address
 * @param port                port, 0 = free port
 * @param maxBodyBytes        largest request body (encoded and inflated)
 * @param maxEventsPerRequest largest number of events in one request
 * @param drainTimeoutMs      graceful stop bound for requests already being processed
 * @param allowedHosts        lower-case host names (without port) a request's Host header may name; {@code ["*"]} = any
 * @param limits              connection bounds
 * @param tls                 TLS / mutual TLS of the server ({@code ingest.tls}, see {@link io.sluice.tls.ServerTls})
 * @param auth                who may post ({@code ingest.auth}, see {@link IngestAuth}); off by default
 */
public record IngestSettings(
        boolean enabled,
        String host,
        int port,
        long maxBodyBytes,
        int maxEventsPerRequest,
        long drainTimeoutMs,
        List<String> allowedHosts,
        HttpLimits limits,
        io.sluice.tls.ServerTls tls,
        IngestAuth auth) {

    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_EVENTS = 10_000;
    public static final String ANY_HOST = "*";
    private static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");

    public IngestSettings {
        allowedHosts = List.copyOf(allowedHosts);
    }

    /** The former shape: default allowed hosts (loopback + {@code host}) and default limits. */
    public IngestSettings(
            boolean enabled, String host, int port, long maxBodyBytes, int maxEventsPerRequest, long drainTimeoutMs) {
        this(
                enabled,
                host,
                port,
                maxBodyBytes,
                maxEventsPerRequest,
                drainTimeoutMs,
                defaultHosts(host),
                HttpLimits.defaults(),
                io.sluice.tls.ServerTls.disabled(),
                IngestAuth.disabled());
    }

    /** The defaults: disabled, 127.0.0.1, free port, 1 MiB, 10,000 events, 10 s drain. */
    public static IngestSettings defaults() {
        return new IngestSettings(false, "127.0.0.1", 0, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_EVENTS, 10_000);
    }

    /** Reads {@code ingest}; TLS passwords come from the process environment. */
    public static IngestSettings from(Cfg c) {
        return from(c, System.getenv());
    }

    private static final Key<Boolean> ENABLED =
            Key.bool("enabled", false, "HTTP ingest POST /v1/events (needs producer.enabled)");
    private static final Key<String> HOST = Key.string("host", "127.0.0.1", "listen address");
    private static final Key<Integer> PORT =
            Key.integer("port", 0, 0, 65_535, "listen port (0 = a free port; conf/local.json uses 8081)");
    private static final Key<Long> MAX_BODY_BYTES = Key.longInt(
            "maxBodyBytes", DEFAULT_MAX_BODY_BYTES, 1024, 64L * 1024 * 1024, "larger bodies are answered 413");
    private static final Key<Integer> MAX_EVENTS = Key.integer(
            "maxEventsPerRequest", DEFAULT_MAX_EVENTS, 1, 100_000, "more events in one request are answered 413");
    private static final Key<Long> DRAIN_TIMEOUT_MS = Key.longInt(
            "drainTimeoutMs",
            10_000,
            0,
            600_000,
            "graceful stop: requests in progress get their answers within this bound");
    private static final Key<List<String>> ALLOWED_HOSTS = Key.strings(
                    "allowedHosts",
                    null,
                    "Host header values accepted (DNS rebinding guard); default loopback names + host; required when host is a "
                            + "wildcard address; [\"*\"] = any")
            .defaultShown("loopback + host");
    /** {@code ingest}. */
    public static final Section SECTION = Section.of(
                    "HTTP ingest of events",
                    ENABLED,
                    HOST,
                    PORT,
                    MAX_BODY_BYTES,
                    MAX_EVENTS,
                    DRAIN_TIMEOUT_MS,
                    ALLOWED_HOSTS)
            .with(HttpLimits.KEYS)
            .with(io.sluice.tls.ServerTls.KEY, IngestAuth.KEY);

    /** Reads {@code ingest}; TLS passwords ({@code tls.*.passwordEnv}) come from {@code env}. */
    public static IngestSettings from(Cfg c, java.util.Map<String, String> env) {
        boolean enabled = c.get(ENABLED);
        String host = c.get(HOST);
        if (host.isBlank()) {
            throw new ConfigException(c.key("host"), "must be a non-empty host name or address");
        }
        int port = c.get(PORT);
        long maxBody = c.get(MAX_BODY_BYTES);
        int maxEvents = c.get(MAX_EVENTS);
        long drain = c.get(DRAIN_TIMEOUT_MS);
        List<String> hosts = c.get(ALLOWED_HOSTS);
        HttpLimits limits = HttpLimits.from(c);
        io.sluice.tls.ServerTls tls = io.sluice.tls.ServerTls.from(c, env);
        IngestAuth auth = IngestAuth.from(c);
        c.done();
        if (hosts == null) {
            if (enabled && isWildcard(host)) {
                throw new ConfigException(
                        c.key("allowedHosts"),
                        "is required when ingest.host is " + host
                                + " (the Host names clients use, e.g. [\"ingest.example.internal\"], or [\"*\"] for any)");
            }
            hosts = defaultHosts(host);
        } else if (hosts.isEmpty()) {
            throw new ConfigException(c.key("allowedHosts"), "must name at least one host (or \"*\")");
        }
        List<String> lower = new ArrayList<>();
        hosts.forEach(h -> lower.add(h.trim().toLowerCase(Locale.ROOT)));
        return new IngestSettings(enabled, host, port, maxBody, maxEvents, drain, lower, limits, tls, auth);
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static List<String> defaultHosts(String host) {
        List<String> out = new ArrayList<>(LOOPBACK);
        String h = host.toLowerCase(Locale.ROOT);
        if (!isWildcard(h) && !out.contains(h)) {
            out.add(h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h);
        }
        return out;
    }

    /**
     * Whether a request's {@code Host} header names an allowed host (the port is ignored; IPv6 literals in
     * brackets). A missing header is not allowed.
     */
    public boolean hostAllowed(String hostHeader) {
        if (allowedHosts.contains(ANY_HOST)) {
            return true;
        }
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        if (colon > 0 && (h.startsWith("[") ? h.charAt(colon - 1) == ']' : h.indexOf(':') == colon)) {
            h = h.substring(0, colon);
        }
        return allowedHosts.contains(h);
    }

    public IngestSettings withPort(int p) {
        return new IngestSettings(
                enabled, host, p, maxBodyBytes, maxEventsPerRequest, drainTimeoutMs, allowedHosts, limits, tls, auth);
    }
}
