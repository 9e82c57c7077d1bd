package io.sluice.ingest;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;

/**
 * The HTTP ingest's configuration (key {@code ingest}).
 *
 * <pre>{@code
 * "ingest": {
 *   "enabled": false,            // deploy the HTTP ingest (POST /v1/events)
 *   "host": "127.0.0.1",         // bind address
 *   "port": 8081,                // 0 = a free port (see Sluice#ingestPort())
 *   "maxBodyBytes": 1048576,     // 1 KiB - 64 MiB; larger bodies are answered 413
 *   "maxEventsPerRequest": 10000,// 1 - 100000; more events are answered 413
 *   "drainTimeoutMs": 10000      // graceful stop: how long in-flight requests may take to get their answers
 * }
 * }</pre>
 *
 * @param enabled             deploy the ingest verticle
 * @param host                bind address
 * @param port                port, 0 = free port
 * @param maxBodyBytes        largest request body
 * @param maxEventsPerRequest largest number of events in one request
 * @param drainTimeoutMs      graceful stop bound for requests already being processed
 */
public record IngestSettings(boolean enabled, String host, int port, long maxBodyBytes, int maxEventsPerRequest,
                             long drainTimeoutMs) {

    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_EVENTS = 10_000;

    /** The defaults: disabled, 127.0.0.1, free port, 1 MiB, 10,000 events, 10 s drain. */
    public static IngestSettings defaults() {
        return new IngestSettings(false, "127.0.0.1", 0, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_EVENTS, 10_000);
    }

    public static IngestSettings from(Cfg c) {
        boolean enabled = c.bool("enabled", false);
        String host = c.string("host", "127.0.0.1");
        if (host.isBlank()) {
            throw new ConfigException(c.key("host"), "must be a non-empty host name or address");
        }
        int port = c.intIn("port", 0, 0, 65_535);
        long maxBody = c.longIn("maxBodyBytes", DEFAULT_MAX_BODY_BYTES, 1024, 64L * 1024 * 1024);
        int maxEvents = c.intIn("maxEventsPerRequest", DEFAULT_MAX_EVENTS, 1, 100_000);
        long drain = c.longIn("drainTimeoutMs", 10_000, 0, 600_000);
        c.done();
        return new IngestSettings(enabled, host, port, maxBody, maxEvents, drain);
    }

    public IngestSettings withPort(int p) {
        return new IngestSettings(enabled, host, p, maxBodyBytes, maxEventsPerRequest, drainTimeoutMs);
    }
}
