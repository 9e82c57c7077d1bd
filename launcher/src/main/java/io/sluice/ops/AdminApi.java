package io.sluice.ops;

import io.sluice.config.ConfigException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A running instance's admin API, for commands that act on it: {@code --admin http://127.0.0.1:8080} (default, the admin server's default port) and
 * the bearer token from the environment variable {@value #TOKEN_ENV} (never an argument: it would show in {@code ps}).
 * Blocking: commands run on their own thread, never on an event loop.
 */
public final class AdminApi {
    public static final String TOKEN_ENV = "SLUICE_ADMIN_TOKEN";
    public static final String DEFAULT_URL = "http://127.0.0.1:8080";

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final Duration timeout;

    public AdminApi(URI base, String token, Duration timeout) {
        this.base = base;
        this.token = token;
        this.timeout = timeout;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** From {@code --admin URL} and {@code --timeout} (default 30s) and the token in the environment. */
    public static AdminApi from(CommandArgs args, OpsEnv env) {
        String url = args.string("admin", DEFAULT_URL);
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--admin", "must be a URL like " + DEFAULT_URL + ", got '" + url + "'");
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new ConfigException("--admin", "must be an http(s) URL like " + DEFAULT_URL + ", got '" + url + "'");
        }
        return new AdminApi(uri, env.env().get(TOKEN_ENV), args.duration("timeout", Duration.ofSeconds(30)));
    }

    /** The answer of one call: status and body (a JSON object, or {@code {"raw": text}} when it is not JSON). */
    public record Reply(int status, JsonObject body) {
        public boolean ok() {
            return status / 100 == 2;
        }

        /** The error text the admin API gave, for one line on stderr. */
        public String error() {
            String e = body.getString("error", body.getString("raw", ""));
            return "HTTP " + status + (e.isEmpty() ? "" : ": " + e);
        }
    }

    public Reply get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    public Reply post(String path, JsonObject body) throws IOException, InterruptedException {
        return send(request(path)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    public Reply put(String path, JsonObject body) throws IOException, InterruptedException {
        return send(request(path)
                .header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        if (token != null && !token.isBlank()) {
            b.header("authorization", "Bearer " + token);
        }
        return b;
    }

    private Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach the admin API at " + base + " (is Sluice running? --admin URL)", e);
        }
        JsonObject body;
        try {
            String text = r.body() == null ? "" : r.body();
            body = text.isBlank() ? new JsonObject() : new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            body = new JsonObject().put("raw", r.body());
        }
        if (r.statusCode() == 401 && (token == null || token.isBlank())) {
            throw new IOException("the admin API needs its token: set " + TOKEN_ENV);
        }
        return new Reply(r.statusCode(), body);
    }
}
