package io.sluice.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.admin.AuthThrottle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link IngestAuth} to a request: the client's name when it may post, else the refusal to send (401 with
 * {@code WWW-Authenticate} without credentials, 403 for a wrong token or certificate, 429 while locked out for
 * guessing). Keeps the tokens file current (re-read off the event loop when it changed; a bad new file is not
 * applied) and counts requests per client ({@code sluice.ingest.client.requests{client}}: token names and
 * allowed subjects only). Use on the ingest's event loop.
 */
final class IngestGate {
    private static final Logger LOG = LoggerFactory.getLogger(IngestGate.class);
    private static final String PREFIX = "bearer ";

    /** The outcome: {@code client} when let in, else {@code status} and {@code message}. */
    record Verdict(String client, int status, String message) {
        boolean allowed() {
            return client != null;
        }
    }

    private final IngestAuth auth;
    private final MeterRegistry registry;
    private final AuthThrottle throttle = new AuthThrottle(System::currentTimeMillis);
    private final Map<String, Counter> counters = new HashMap<>();
    private volatile IngestAuth.Tokens tokens;
    private String rejected;
    private long timer = -1;

    IngestGate(IngestAuth auth, MeterRegistry registry) {
        this.auth = auth;
        this.registry = registry;
    }

    /** Blocking: loads the tokens (call before serving). */
    void load() {
        if (auth.enabled() && auth.tokensFile() != null) {
            tokens = auth.load();
        }
    }

    /** Starts re-reading the tokens file every {@code reloadMs} (call on the ingest's event loop). */
    void watch(Vertx vertx) {
        if (!auth.enabled() || auth.tokensFile() == null) {
            return;
        }
        if (auth.reloadMs() > 0) {
            timer = vertx.setPeriodic(
                    auth.reloadMs(),
                    id -> vertx.executeBlocking(auth::load, false)
                            .onSuccess(t -> {
                                if (!t.fingerprint().equals(tokens.fingerprint())) {
                                    tokens = t;
                                    LOG.info(
                                            "ingest tokens reloaded from {}: {} token(s): {}",
                                            auth.tokensFile(),
                                            t.digests().size(),
                                            t.digests().keySet());
                                }
                                rejected = null;
                            })
                            .onFailure(err -> {
                                if (!String.valueOf(err.getMessage()).equals(rejected)) {
                                    rejected = String.valueOf(err.getMessage());
                                    LOG.warn(
                                            "ingest tokens file not reloaded (the current tokens stay): {}",
                                            err.getMessage());
                                }
                            }));
        }
    }

    void stop(Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    Verdict check(HttpServerRequest req) {
        if (!auth.enabled()) {
            return new Verdict("anonymous", 0, null);
        }
        String subject = subject(req);
        if (subject != null && auth.allowedSubjects().contains(subject)) {
            return let(subject);
        }
        String address =
                req.remoteAddress() == null ? "unknown" : req.remoteAddress().hostAddress();
        long wait = throttle.waitMs(address);
        if (wait > 0) {
            req.response().putHeader("Retry-After", Long.toString(Math.max(1, (wait + 999) / 1000)));
            return new Verdict(
                    null, 429, "too many wrong credentials from this client; retry after the Retry-After seconds");
        }
        String h = req.getHeader("Authorization");
        IngestAuth.Tokens t = tokens;
        if (h == null || h.length() <= PREFIX.length() || !h.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            if (subject != null) {
                throttle.failed(address);
                return new Verdict(
                        null, 403, "client certificate '" + subject + "' is not allowed (ingest.auth.allowedSubjects)");
            }
            req.response().putHeader("WWW-Authenticate", "Bearer realm=\"sluice-ingest\"");
            return new Verdict(null, 401, "missing bearer token: send 'Authorization: Bearer <ingest token>'");
        }
        String name = t == null ? null : t.match(h.substring(PREFIX.length()).trim());
        if (name == null) {
            throttle.failed(address);
            return new Verdict(null, 403, "the bearer token is not valid");
        }
        throttle.succeeded(address);
        return let(name);
    }

    private Verdict let(String client) {
        counters.computeIfAbsent(
                        client,
                        c -> Counter.builder("sluice.ingest.client.requests")
                                .tag("client", c)
                                .description("ingest requests let in, per authenticated client")
                                .register(registry))
                .increment();
        return new Verdict(client, 0, null);
    }

    private static String subject(HttpServerRequest req) {
        if (!req.isSSL()) {
            return null;
        }
        try {
            List<Certificate> chain = req.connection().peerCertificates();
            return chain.isEmpty() || !(chain.get(0) instanceof X509Certificate x)
                    ? null
                    : x.getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
