package io.sluice.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what one HTTP server spends on its clients ({@link HttpLimits}): at most {@code maxConnections} open
 * connections (more are closed on accept), the first request head within {@code headerTimeoutMs}, each body
 * within {@code bodyTimeoutMs} (else 408 and close), the next request head within {@code idleTimeoutMs} of
 * the last answer. Each request is also checked before the application sees it: Content-Length together
 * with Transfer-Encoding → 400 and close ({@link StrictRequestDecoder} keeps both headers); and every answer
 * gets the {@link SecurityHeaders}.
 *
 * <p>Use: {@link #options(HttpServerOptions)} on the server options, {@link #attach(HttpServer, Handler)} for
 * the server's handlers. Every handler runs on the server's (the verticle's) event loop; one periodic timer
 * looks at all connections.
 */
public final class ConnectionGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    private final Vertx vertx;
    private final HttpLimits limits;
    private final String server;
    private final LongSupplier nanos;
    private final ClientErrorLog clientLog;
    private final Map<HttpConnection, State> open = new IdentityHashMap<>();
    private HttpServerOptions options;
    private long timer = -1;
    private long refused;

    private static final class State {
        final long openedAt;
        long idleSince;
        int requests;
        HttpServerRequest current;
        long headAt;

        State(long now) {
            openedAt = now;
            idleSince = now;
        }
    }

    /**
     * @param server name in messages ({@code ingest}, {@code admin}): config keys are {@code <server>.<key>}
     */
    public ConnectionGuard(Vertx vertx, HttpLimits limits, String server, ClientErrorLog clientLog) {
        this.vertx = vertx;
        this.limits = limits;
        this.server = server;
        this.clientLog = clientLog;
        this.nanos = System::nanoTime;
    }

    /**
     * Sets what the guard needs on the server options: clear-text HTTP/2 off (with it on, a connection is only
     * handed over after its first bytes, so idle connections could not be counted or timed out).
     */
    public HttpServerOptions options(HttpServerOptions o) {
        this.options = o.setHttp2ClearTextEnabled(false);
        return o;
    }

    /** Sets the connection and request handlers of {@code s}; {@code app} sees only requests the guard let in. */
    public HttpServer attach(HttpServer s, Handler<HttpServerRequest> app) {
        timer = vertx.setPeriodic(limits.sweepMs(), id -> sweep());
        return s.connectionHandler(this::onConnection)
                .requestHandler(req -> {
                    if (admit(req)) {
                        app.handle(req);
                    }
                })
                .invalidRequestHandler(this::invalid);
    }

    /** Stops the timer (call when the server closes). */
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Open connections now. */
    public int openConnections() {
        return open.size();
    }

    /** Connections closed on accept because {@code maxConnections} were open. */
    public long refusedConnections() {
        return refused;
    }

    private long nowMs() {
        return TimeUnit.NANOSECONDS.toMillis(nanos.getAsLong());
    }

    private void onConnection(HttpConnection conn) {
        if (open.size() >= limits.maxConnections()) {
            refused++;
            clientLog.info(server + ": connection from " + conn.remoteAddress() + " closed: " + open.size()
                    + " connections open (" + server + ".maxConnections)");
            conn.close();
            return;
        }
        if (options != null) {
            StrictRequestDecoder.install(conn, options);
        }
        open.put(conn, new State(nowMs()));
        conn.closeHandler(v -> open.remove(conn));
        conn.exceptionHandler(
                err -> { // resets and half-written requests: the client's problem, not ours
                    if (LOG.isDebugEnabled()) {
                        LOG.debug(
                                "{}: connection {} error: {}",
                                server,
                                conn.remoteAddress(),
                                ClientErrorLog.describe(err));
                    }
                });
    }

    private boolean admit(HttpServerRequest req) {
        HttpServerResponse res = req.response();
        SecurityHeaders.add(res);
        State st = open.get(req.connection());
        if (st != null) {
            st.requests++;
            st.current = req;
            st.headAt = nowMs();
        }
        req.exceptionHandler(
                err -> { // the client went away mid-request
                });
        if (req.headers().contains(HttpHeaders.CONTENT_LENGTH)
                && req.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            refuseAndClose(
                    req,
                    400,
                    "Content-Length and Transfer-Encoding together are not allowed (RFC 9112 6.3); "
                            + "send one of them");
            return false;
        }
        return true;
    }

    /**
     * Answers {@code status} with {@code Connection: close} and, once it is written, closes the connection after the
     * rest of the request's body ({@link LingeringClose}).
     */
    public void refuseAndClose(HttpServerRequest req, int status, String message) {
        clientLog.info(server + ": " + status + " for " + req.remoteAddress() + " "
                + safe(req.method().name()) + " " + safe(req.path()) + ": " + message);
        HttpServerResponse res = req.response();
        HttpConnection conn = req.connection();
        if (res.ended() || res.headWritten()) {
            conn.close();
            return;
        }
        res.setStatusCode(status)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(new JsonObject()
                        .put("status", status)
                        .put("error", message)
                        .toBuffer())
                .onComplete(ar -> LingeringClose.close(vertx, req));
    }

    private void invalid(HttpServerRequest req) {
        // a request the decoder could not read (bad request line, oversized headers): 400/413/414/431 and close
        SecurityHeaders.add(req.response());
        clientLog.info(server + ": unreadable request from " + req.remoteAddress() + ": "
                + ClientErrorLog.describe(req.decoderResult().cause()));
        HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(req);
    }

    private void sweep() {
        long now = nowMs();
        for (Map.Entry<HttpConnection, State> e : Map.copyOf(open).entrySet()) {
            HttpConnection conn = e.getKey();
            State st = e.getValue();
            HttpServerRequest req = st.current;
            if (req != null) {
                if (!req.isEnded() && now - st.headAt > limits.bodyTimeoutMs()) {
                    st.current = null;
                    refuseAndClose(
                            req,
                            408,
                            "body: not received within " + limits.bodyTimeoutMs() + " ms (" + server
                                    + ".bodyTimeoutMs)");
                } else if (req.response().ended()) {
                    st.current = null;
                    st.idleSince = now;
                }
                continue;
            }
            long allowed = st.requests == 0 ? limits.headerTimeoutMs() : limits.idleTimeoutMs();
            if (now - st.idleSince > allowed) {
                open.remove(conn);
                conn.close();
            }
        }
    }

    private static String safe(String s) {
        if (s == null) {
            return "";
        }
        String t = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return t.replaceAll("[^\\x21-\\x7e]", "?");
    }
}
