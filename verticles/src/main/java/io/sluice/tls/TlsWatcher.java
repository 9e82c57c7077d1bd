package io.sluice.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the TLS files for rotation: every {@code watchIntervalMs}, off the event loop, hashes the files;
 * when they changed, runs {@link TlsMaterialCheck} on the new material and, when it passes, hands the report
 * to {@code rotate} (which recreates the Kafka clients). Material that fails the checks (e.g. half-written,
 * expired) is not applied: logged once per content, and checked again on the next tick. Each tick also
 * re-probes the handshake with the brokers ({@link TlsHandshakeProbe}) for the readiness check.
 */
public final class TlsWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(TlsWatcher.class);
    private static final int PROBE_TIMEOUT_MS = 3_000;

    private final Vertx vertx;
    private final TlsSettings settings;
    private final TlsStatus status;
    private final Clock clock;
    private final String bootstrapServers;
    private final Function<TlsMaterialCheck.Report, Future<Void>> rotate;
    private final Runnable refresh;
    private volatile String applied;
    private String rejectedFingerprint;
    private long timer = -1;
    private boolean busy;
    private boolean stopped;

    private record Tick(
            String fingerprint, TlsMaterialCheck.Report report, String problem, TlsHandshakeProbe.Result probe) {}

    public TlsWatcher(
            Vertx vertx,
            TlsSettings settings,
            TlsStatus status,
            Clock clock,
            String bootstrapServers,
            String appliedFingerprint,
            Function<TlsMaterialCheck.Report, Future<Void>> rotate) {
        this(vertx, settings, status, clock, bootstrapServers, appliedFingerprint, rotate, () -> {});
    }

    /**
     * With {@code refresh} run first on each tick, off the event loop (e.g. {@link S3TlsSource#sync()}, which
     * writes new material to the local files that this tick then sees).
     */
    public TlsWatcher(
            Vertx vertx,
            TlsSettings settings,
            TlsStatus status,
            Clock clock,
            String bootstrapServers,
            String appliedFingerprint,
            Function<TlsMaterialCheck.Report, Future<Void>> rotate,
            Runnable refresh) {
        this.refresh = refresh;
        this.vertx = vertx;
        this.settings = settings;
        this.status = status;
        this.clock = clock;
        this.bootstrapServers = bootstrapServers;
        this.applied = appliedFingerprint;
        this.rotate = rotate;
    }

    /** Starts polling (no-op when {@code watchIntervalMs} is 0). Call on the owner's context. */
    public void start() {
        if (settings.enabled() && settings.watchIntervalMs() > 0) {
            timer = vertx.setPeriodic(settings.watchIntervalMs(), id -> tick());
        }
    }

    public void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void tick() {
        if (busy || stopped) {
            return;
        }
        busy = true;
        vertx.executeBlocking(this::inspect, false).compose(this::apply).onComplete(ar -> {
            busy = false;
            if (ar.failed()) {
                LOG.warn("TLS watch tick failed: {}", ar.cause().toString());
            }
        });
    }

    /** Blocking: hash the files, check changed material, probe the handshake. */
    private Tick inspect() {
        refresh.run();
        String fp = TlsMaterial.fingerprint(settings);
        TlsMaterialCheck.Report report = null;
        String problem = null;
        if (!fp.equals(applied)) {
            try {
                report = TlsMaterialCheck.check(settings, clock);
            } catch (TlsMaterialException e) {
                problem = e.getMessage();
            }
        }
        TlsHandshakeProbe.Result probe =
                bootstrapServers == null ? null : TlsHandshakeProbe.probe(settings, bootstrapServers, PROBE_TIMEOUT_MS);
        return new Tick(fp, report, problem, probe);
    }

    private Future<Void> apply(Tick t) {
        status.probe(t.probe());
        if (t.probe() != null && !t.probe().ok() && t.probe().reachable()) {
            LOG.warn("TLS handshake with Kafka refused: {}", t.probe().message());
        }
        if (t.problem() != null) {
            if (!t.fingerprint().equals(rejectedFingerprint)) {
                rejectedFingerprint = t.fingerprint();
                status.rejected();
                LOG.warn(
                        "TLS material changed on disk but is not applied (the clients keep the current material): {}",
                        t.problem());
            }
            return Future.succeededFuture();
        }
        if (t.report() == null || stopped) {
            return Future.succeededFuture();
        }
        TlsMaterialCheck.Report r = t.report();
        LOG.info(
                "TLS material changed on disk: client certificate '{}' valid until {}; recreating the Kafka clients",
                r.clientSubject(),
                r.notAfter());
        r.warnings().forEach(w -> LOG.warn("TLS: {}", w));
        return rotate.apply(r)
                .onSuccess(v -> {
                    applied = r.fingerprint();
                    status.material(r);
                    status.rotated(true);
                    LOG.info("TLS rotation done: the Kafka clients use the new material");
                })
                .onFailure(err -> {
                    // the clients may be half-switched: try again on the next tick
                    status.rotated(false);
                    LOG.error("TLS rotation failed (retried on the next change check): {}", err.toString());
                });
    }

    /** The fingerprint of the material the clients use. */
    public String appliedFingerprint() {
        return applied;
    }
}
