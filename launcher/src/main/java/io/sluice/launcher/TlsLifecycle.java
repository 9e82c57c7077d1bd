package io.sluice.launcher;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.tls.S3TlsSource;
import io.sluice.tls.TlsHandshakeProbe;
import io.sluice.tls.TlsMaterial;
import io.sluice.tls.TlsMaterialCheck;
import io.sluice.tls.TlsSettings;
import io.sluice.tls.TlsStatus;
import io.sluice.tls.TlsWatcher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka TLS material over the main verticle's life: the start-up checks, one handshake with the brokers, the
 * watcher, and rotations one at a time (none starts after {@link #close()}, which waits for the one in progress).
 * All steps are no-ops when {@code kafka.tls} is off.
 */
final class TlsLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(TlsLifecycle.class);

    private final Vertx vertx;
    private final MeterRegistry registry;
    private final Clock clock = Clock.systemUTC();
    private volatile TlsStatus status;
    private volatile TlsWatcher watcher;
    private volatile S3TlsSource s3; // null unless kafka.tls names s3:// material
    private Future<Void> rotation = Future.succeededFuture(); // guarded by this
    private boolean closed; // guarded by this

    TlsLifecycle(Vertx vertx, MeterRegistry registry) {
        this.vertx = vertx;
        this.registry = registry;
    }

    /** The TLS state (readiness, days to expiry), or null when {@code kafka.tls} is off. */
    TlsStatus status() {
        return status;
    }

    /**
     * Start-up checks of the TLS material, before anything connects (fails with {@link io.sluice.tls.TlsMaterialException}):
     * files, passwords, validity dates, key/certificate match, trust store. Writes the combined PEM key store when
     * the key is in its own file. {@code s3://} material is fetched first (S3 unreachable fails the same way).
     */
    Future<Void> check(TlsSettings tls) {
        if (!tls.enabled()) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
                    s3 = S3TlsSource.start(tls, clock);
                    TlsMaterialCheck.Report r = TlsMaterialCheck.check(tls, clock);
                    TlsMaterial.materialize(tls);
                    return r;
                })
                .map(r -> {
                    status = new TlsStatus(clock, registry);
                    status.material(r);
                    S3TlsSource source = s3;
                    if (source != null) {
                        status.source(source::readinessDetail);
                        source.onRejected(status::rejected);
                    }
                    LOG.info(
                            "TLS: {}; {} trusted CA(s); endpoint identification {}",
                            r.clientSubject() == null
                                    ? "no client certificate"
                                    : "client certificate '" + r.clientSubject() + "' valid until " + r.notAfter()
                                            + " (" + r.daysToExpiry() + " days)",
                            r.trustedCas() == 0 ? "JVM default" : r.trustedCas(),
                            tls.endpointIdentification() ? "on" : "OFF");
                    r.warnings().forEach(w -> LOG.warn("TLS: {}", w));
                    return null;
                });
    }

    /** One TLS handshake with the brokers: trust store, host name and client certificate, with a clear message. */
    Future<Void> probe(TlsSettings tls, String bootstrapServers) {
        if (!tls.enabled()) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> TlsHandshakeProbe.probe(tls, bootstrapServers, 5_000))
                .compose(r -> {
                    status.probe(r);
                    if (r.ok()) {
                        LOG.info("TLS handshake with Kafka accepted");
                    } else if (!r.reachable()) {
                        LOG.warn("TLS handshake not checked: {}", r.message());
                    } else {
                        return Future.failedFuture(r.toException());
                    }
                    return Future.succeededFuture();
                });
    }

    /**
     * Watches the files; when they changed and passed the checks, the material is written again and
     * {@code recreateClients} runs (Kafka clients read their stores when they are created).
     */
    void watch(TlsSettings tls, String bootstrapServers, Supplier<Future<Void>> recreateClients) {
        if (status == null) {
            return;
        }
        S3TlsSource source = s3;
        watcher = new TlsWatcher(
                vertx,
                tls,
                status,
                clock,
                bootstrapServers,
                status.material().fingerprint(),
                report -> rotate(tls, recreateClients),
                source == null ? () -> {} : source::sync);
        watcher.start();
    }

    private Future<Void> rotate(TlsSettings tls, Supplier<Future<Void>> recreateClients) {
        synchronized (this) {
            if (closed) {
                return Future.succeededFuture();
            }
            Future<Void> r = rotation.transform(ignored -> isClosed()
                    ? Future.<Void>succeededFuture()
                    : vertx.<Void>executeBlocking(() -> {
                                TlsMaterial.materialize(tls);
                                return null;
                            })
                            .compose(v -> recreateClients.get()));
            rotation = r.otherwise(err -> null);
            return r;
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Stops the watcher; completes when a rotation in progress is done (its pipeline restarts are bounded). */
    Future<Void> close() {
        if (watcher != null) {
            watcher.stop();
        }
        Future<Void> done;
        synchronized (this) {
            closed = true;
            done = rotation.otherwise(err -> null);
        }
        S3TlsSource source = s3;
        return source == null
                ? done
                : done.compose(v -> vertx.<Void>executeBlocking(() -> {
                    source.close();
                    return null;
                }));
    }
}
