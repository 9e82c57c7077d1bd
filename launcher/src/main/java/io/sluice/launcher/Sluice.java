package io.sluice.launcher;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.locallambda.LocalLambdaServer;
import io.sluice.pipeline.Pipeline;
import io.sluice.tls.TlsStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sluice in a Vert.x instance of the caller's, as one object: a thin wrapper that deploys a {@link SluiceVerticle}
 * ({@link #start()}) and undeploys it ({@link #stop()}). Everything Sluice runs, and its stop order, is the
 * verticle's; this class only keeps the deployment id and passes the accessors through.
 */
public final class Sluice {
    private static final Logger LOG = LoggerFactory.getLogger(Sluice.class);

    private final Vertx vertx;
    private final SluiceVerticle verticle;
    private volatile Future<String> deployment;

    public Sluice(Vertx vertx, SluiceConfig config, MeterRegistry registry) {
        this.vertx = vertx;
        this.verticle = new SluiceVerticle(config, registry);
    }

    /** Deploys the main verticle; completes when everything runs (or fails, everything stopped again). */
    public synchronized Future<Void> start() {
        if (deployment == null) {
            deployment = vertx.deployVerticle(verticle);
        }
        return deployment.mapEmpty();
    }

    /** Graceful stop: undeploys the main verticle (its own bounded stop). Idempotent. */
    public synchronized Future<Void> stop() {
        Future<String> d = deployment;
        if (d == null || d.failed()) {
            return Future.succeededFuture();
        }
        return d.compose(id -> vertx.deploymentIDs().contains(id) ? vertx.undeploy(id) : Future.<Void>succeededFuture())
                .recover(err -> {
                    LOG.warn("Stop failed: {}", err.toString());
                    return Future.succeededFuture();
                });
    }

    /** The main verticle this wraps. */
    public SluiceVerticle verticle() {
        return verticle;
    }

    /** The TLS state (readiness, days to expiry), or null when {@code kafka.tls} is off. */
    public TlsStatus tlsStatus() {
        return verticle.tlsStatus();
    }

    /** The port the admin HTTP server is bound to, or -1 when it is not running. */
    public int adminPort() {
        return verticle.adminPort();
    }

    /** The port the HTTP ingest is bound to, or -1 when it is not running. */
    public int ingestPort() {
        return verticle.ingestPort();
    }

    public SluiceConfig config() {
        return verticle.settings();
    }

    public EmbeddedKafkaCluster cluster() {
        return verticle.cluster();
    }

    public LocalLambdaServer localLambda() {
        return verticle.localLambda();
    }

    public List<Pipeline> pipelines() {
        return verticle.pipelines();
    }

    public MeterRegistry registry() {
        return verticle.registry();
    }

    /** Bounded blocking stop for shutdown hooks and tests (never on an event loop). */
    public void stopBlocking(Duration timeout) {
        try {
            stop().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("Stop did not complete within {}: {}", timeout, e.toString());
            EmbeddedKafkaCluster c = verticle.cluster();
            if (c != null) {
                c.close();
            }
        }
    }
}
