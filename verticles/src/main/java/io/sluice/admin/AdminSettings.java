package io.sluice.admin;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
import io.sluice.lag.LagEvaluator;
import java.util.Map;

/**
 * The {@code admin} section: the admin HTTP server (health, metrics, status, runtime tuning, dashboard).
 *
 * <pre>{@code
 * "admin": {
 *   "enabled": true,            // default false
 *   "host": "127.0.0.1",        // bind address (default 127.0.0.1: loopback only)
 *   "port": 8080,               // 0 = a free port (default 8080)
 *   "token": "…",               // bearer token for mutating endpoints, >= 8 chars; or env SLUICE_ADMIN_TOKEN (wins)
 *   "lagRefreshMs": 1000,       // lag/rate sampling interval, 100-60000
 *   "lagWindowSamples": 10,     // samples per lag-status window, 3-1000
 *   "maxConnections": 1000, "headerTimeoutMs": 10000, "bodyTimeoutMs": 30000, "idleTimeoutMs": 60000
 *                               // connection bounds, see io.sluice.http.HttpLimits
 *   "tls": {...}                // HTTPS / mutual TLS, see io.sluice.tls.ServerTls; off by default
 * }
 * }</pre>
 * The token is required when the admin server is enabled; it is never printed ({@link #toString()} masks it).
 */
public record AdminSettings(
        boolean enabled,
        String host,
        int port,
        String token,
        long lagRefreshMs,
        int lagWindowSamples,
        io.sluice.http.HttpLimits limits,
        io.sluice.tls.ServerTls tls) {
    /** Environment variable that supplies (and overrides) the token. */
    public static final String TOKEN_ENV = "SLUICE_ADMIN_TOKEN";

    public static final int MIN_TOKEN_LENGTH = 8;

    /** The former shape, with the default connection limits. */
    public AdminSettings(
            boolean enabled, String host, int port, String token, long lagRefreshMs, int lagWindowSamples) {
        this(
                enabled,
                host,
                port,
                token,
                lagRefreshMs,
                lagWindowSamples,
                io.sluice.http.HttpLimits.defaults(),
                io.sluice.tls.ServerTls.disabled());
    }

    public static AdminSettings disabled() {
        return new AdminSettings(false, "127.0.0.1", 8080, null, 1000, 10);
    }

    private static final Key<Boolean> ENABLED = Key.bool("enabled", false, "the admin HTTP server and dashboard");
    private static final Key<String> HOST = Key.string("host", "127.0.0.1", "listen address");
    private static final Key<Integer> PORT = Key.integer("port", 8080, 0, 65535, "listen port (0 = a free port)");
    private static final Key<String> TOKEN = Key.string(
            "token",
            null,
            "bearer token of the mutating endpoints, >= " + MIN_TOKEN_LENGTH
                    + " printable characters; required when enabled; " + TOKEN_ENV + " overrides it; never logged");
    private static final Key<Long> LAG_REFRESH_MS =
            Key.longInt("lagRefreshMs", 1000, 100, 60_000, "lag and rate sampling interval");
    private static final Key<Integer> LAG_WINDOW_SAMPLES =
            Key.integer("lagWindowSamples", 10, LagEvaluator.MIN_WINDOW, 1000, "samples per lag-status window");
    /** {@code admin}. */
    public static final Section SECTION = Section.of(
                    "the admin HTTP server: health, metrics, status, runtime tuning, " + "dashboard",
                    ENABLED,
                    HOST,
                    PORT,
                    TOKEN,
                    LAG_REFRESH_MS,
                    LAG_WINDOW_SAMPLES)
            .with(io.sluice.http.HttpLimits.KEYS)
            .with(io.sluice.tls.ServerTls.KEY);

    /** Reads and validates the section; {@code env} is the process environment (for {@value #TOKEN_ENV}). */
    public static AdminSettings from(Cfg c, Map<String, String> env) {
        boolean enabled = c.get(ENABLED);
        String host = c.get(HOST);
        if (host.isBlank()) {
            throw new ConfigException(c.key("host"), "must be a non-empty host name or address");
        }
        int port = c.get(PORT);
        String token = c.get(TOKEN);
        String fromEnv = env.get(TOKEN_ENV);
        String tokenKey = c.key("token");
        if (fromEnv != null && !fromEnv.isBlank()) {
            token = fromEnv;
            tokenKey = TOKEN_ENV;
        }
        long refresh = c.get(LAG_REFRESH_MS);
        int window = c.get(LAG_WINDOW_SAMPLES);
        io.sluice.http.HttpLimits limits = io.sluice.http.HttpLimits.from(c);
        io.sluice.tls.ServerTls tls = io.sluice.tls.ServerTls.from(c, env);
        c.done();
        if (enabled) {
            if (token == null || token.isBlank()) {
                throw new ConfigException(
                        c.key("token"), "is required when admin.enabled is true (or set " + TOKEN_ENV + ")");
            }
            if (token.length() < MIN_TOKEN_LENGTH || !token.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
                // never echo the value
                throw new ConfigException(
                        tokenKey,
                        "must be at least " + MIN_TOKEN_LENGTH + " printable ASCII characters without spaces");
            }
        }
        return new AdminSettings(enabled, host, port, token, refresh, window, limits, tls);
    }

    @Override
    public String toString() {
        return "AdminSettings[enabled=" + enabled + ", host=" + host + ", port=" + port + ", token="
                + (token == null ? "none" : "***") + ", lagRefreshMs=" + lagRefreshMs + ", lagWindowSamples="
                + lagWindowSamples + ", limits=" + limits + ", tls=" + tls + "]";
    }
}
