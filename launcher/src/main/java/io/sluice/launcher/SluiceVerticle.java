package io.sluice.launcher;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.admin.AdminHttpVerticle;
import io.sluice.bus.RemoteAccess;
import io.sluice.bus.RemoteGate;
import io.sluice.dispatch.LambdaSettings;
import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.generator.GeneratorVerticle;
import io.sluice.ingest.IngestVerticle;
import io.sluice.kafka.AsyncProducer;
import io.sluice.kafka.KafkaSettings;
import io.sluice.kafka.Topics;
import io.sluice.locallambda.LocalLambdaServer;
import io.sluice.pipeline.Pipeline;
import io.sluice.pipeline.PipelineSettings;
import io.sluice.producer.ProducerVerticle;
import io.sluice.producer.WireCodecs;
import io.sluice.tls.TlsStatus;
import io.vertx.core.Closeable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sluice's main verticle: everything Sluice runs, deployed by one verticle. In local mode the embedded broker,
 * topics and the local Lambda endpoint; then the producer, the HTTP ingest, the consumer pipelines, the
 * generator and the admin API. Undeploying it (or closing its Vert.x) stops all of it in reverse order:
 * admin, ingest, generator, producer (flush) and pipelines (drain and commit) side by side, local endpoint,
 * broker; bounded by {@value #STOP_BOUND_MS} ms.
 *
 * <p>Deploy it beside your own verticles with the same JSON as a config file:
 * <pre>{@code
 * vertx.deployVerticle(new SluiceVerticle(), new DeploymentOptions().setConfig(conf));
 * }</pre>
 * The JSON is validated as {@code java -jar sluice.jar -conf FILE} validates it (a
 * {@link io.sluice.config.ConfigException} fails the deployment); environment and system-property overrides
 * are applied by the launcher ({@link Main}), not here. One instance per Vert.x: the sub-verticles are
 * deployed as top-level deployments of the same Vert.x (so their stop order is Sluice's, not Vert.x's
 * children-first undeploy), and a close hook stops them in that order when the Vert.x instance is closed.
 */
public final class SluiceVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceVerticle.class);
    /** Upper bound of a graceful stop; after it the embedded broker is closed regardless. */
    static final long STOP_BOUND_MS = 60_000;
    /** At the end of a stop, remote requests are answered 'stopping' until none came for this long... */
    static final long REMOTE_QUIET_MS = 300;
    /** ...or for at most this long. */
    static final long REMOTE_QUIET_MAX_MS = 3_000;

    private volatile MeterRegistry registry;
    // Written during start (on Vert.x threads), read by stop() from a shutdown hook and by tests: volatile.
    private volatile SluiceConfig config;
    /** The local-only parts (embedded broker, local Lambda endpoint), or null when the config asks for neither. */
    private volatile LocalMode local;

    private volatile String producerDeployment;
    private volatile String generatorDeployment;
    private volatile String ingestDeployment;
    private volatile String adminDeployment;
    private volatile RemoteGate remoteGate;
    private volatile AdminHttpVerticle admin;
    private volatile IngestVerticle ingest;
    private final List<Pipeline> pipelines = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long statusTimer = -1;
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    private final Promise<Void> stoppedPromise = Promise.promise();
    private volatile ProducerVerticle producerVerticle;
    private volatile TlsLifecycle tls;
    private volatile Closeable closeHook;
    private volatile io.sluice.hotkeys.HotKeys hotKeys;

    /** Config from the deployment options (the JSON of a config file), meters in a registry of its own. */
    public SluiceVerticle() {
        this(null, null);
    }

    /** Config from the deployment options; meters into {@code registry} (served by {@code GET /metrics}). */
    public SluiceVerticle(MeterRegistry registry) {
        this(null, registry);
    }

    private io.sluice.tracing.Telemetry telemetry;

    /** A validated config (the launcher and {@link Sluice} use this); {@code registry} may be null. */
    public SluiceVerticle(SluiceConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    @Override
    public Future<?> start() {
        try {
            if (config == null) {
                config = SluiceConfig.fromJson(config());
            }
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        if (registry == null) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        }
        tls = new TlsLifecycle(vertx, registry);
        telemetry = io.sluice.tracing.Telemetry.start(vertx, config.telemetry(), registry);
        hotKeys = new io.sluice.hotkeys.HotKeys(config.hotKeys(), registry, System::currentTimeMillis);
        hotKeys.start(vertx);
        VertxInternal vx = (VertxInternal) vertx;
        Closeable hook = completion -> stopBounded().onComplete(ar -> completion.succeed());
        closeHook = hook;
        vx.addCloseHook(hook);
        // A context of no deployment: what it deploys is top-level, stopped by stopAll() in Sluice's order.
        ContextInternal root = vx.createEventLoopContext();
        Promise<Void> started = Promise.promise();
        root.runOnContext(v -> startAll().onComplete(started));
        return started.future()
                .onSuccess(v -> LOG.info("Sluice started"))
                .recover(err -> stopBounded().transform(x -> {
                    vx.removeCloseHook(hook);
                    return Future.failedFuture(err);
                }));
    }

    @Override
    public Future<?> stop() {
        Closeable hook = closeHook;
        if (hook != null) {
            ((VertxInternal) vertx).removeCloseHook(hook);
        }
        return stopBounded();
    }

    private Future<Void> startAll() {
        return prepareBus()
                .compose(v -> tls.check(config.tls()))
                .compose(v -> startBroker())
                .compose(v -> tls.probe(config.tls(), config.kafka().bootstrapServers()))
                .compose(v -> prepareTopics())
                .compose(v -> startLocalLambda())
                .compose(v -> startProducer())
                .compose(v -> startIngest())
                .compose(v -> startPipelines())
                .compose(v -> startGenerator())
                .compose(v -> startAdmin())
                .onSuccess(v -> {
                    startStatus();
                    tls.watch(config.tls(), config.kafka().bootstrapServers(), this::recreateKafkaClients);
                });
    }

    /**
     * TLS rotation: the files changed and passed the checks. Kafka clients read their key and trust stores when
     * they are created, so they are recreated: the producer is swapped (the old one flushed, then closed), each
     * pipeline is stopped (drain in-flight batches, commit) and started again (new consumer, DLQ producer;
     * re-subscribes: duplicates possible, no loss), the admin client is replaced.
     */
    private Future<Void> recreateKafkaClients() {
        Future<Void> chain = Future.succeededFuture();
        if (producerVerticle != null) {
            chain = chain.compose(v -> vertx.executeBlocking(this::newProducer))
                    .compose(p -> producerVerticle.swapProducer(p));
        }
        for (Pipeline p : pipelines) {
            // restart() is a no-op once the pipeline is stopped: a stop racing this rotation wins
            chain = chain.compose(v -> p.restart("new TLS material (drain, commit, re-subscribe)"));
        }
        return chain.compose(
                v -> admin == null || stopped.get() ? Future.<Void>succeededFuture() : admin.recreateKafkaClient());
    }

    private AsyncProducer newProducer() {
        var props =
                config.kafka().clientConfig(new HashMap<>(), config.producer().kafka());
        props.putIfAbsent(
                "client.id", "sluice-producer-" + ProcessHandle.current().pid());
        return new AsyncProducer(
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()),
                "sluice-producer-send");
    }

    /** The TLS state (readiness, days to expiry), or null when {@code kafka.tls} is off. */
    public TlsStatus tlsStatus() {
        return tls == null ? null : tls.status();
    }

    private Future<Void> startBroker() {
        if (!config.embedded().enabled()) {
            return Future.succeededFuture();
        }
        io.sluice.config.ConfigException missing = localPartsMissing("embedded.enabled");
        // before any code that names LocalMode runs: linking that code would load it
        return missing != null ? Future.failedFuture(missing) : startLocalBroker();
    }

    private Future<Void> startLocalBroker() {
        return local().startBroker(vertx, config.embedded()).map(servers -> {
            config = config.withKafka(config.kafka().withBootstrapServers(servers));
            return null;
        });
    }

    /** Classes of the local-only parts; the EC2 jar carries none of them. */
    private static final String[] LOCAL_PARTS = {
        "io.sluice.launcher.LocalMode",
        "io.sluice.embedded.EmbeddedKafkaCluster",
        "io.sluice.locallambda.LocalLambdaServer"
    };

    /** Null when this jar carries the local parts, else the error naming {@code key} (the EC2 jar). By name only. */
    private static io.sluice.config.ConfigException localPartsMissing(String key) {
        for (String part : LOCAL_PARTS) {
            try {
                Class.forName(part, false, SluiceVerticle.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return new io.sluice.config.ConfigException(
                        key,
                        "local mode is not in this jar (sluice-ec2.jar carries "
                                + "no embedded broker or local Lambda endpoint): run sluice.jar for local mode, or set "
                                + key
                                + " to false");
            }
        }
        return null;
    }

    private LocalMode local() {
        if (local == null) {
            local = new LocalMode();
        }
        return local;
    }

    private Future<Void> prepareTopics() {
        KafkaSettings kafka = config.kafka();
        Set<String> required = new LinkedHashSet<>();
        if (config.producer().enabled()) {
            required.addAll(config.producer().router().topics());
            required.add(config.producer().dlqTopic());
        }
        for (PipelineSettings p : config.pipelines()) {
            required.addAll(p.topics());
            required.add(p.dlqTopic());
        }
        return vertx.executeBlocking(() -> {
            if (kafka.createTopics()) {
                Topics.create(kafka, kafka.topics());
            }
            Topics.requireExisting(kafka, required);
            return null;
        });
    }

    private Future<Void> startLocalLambda() {
        if (!config.localLambda().enabled()) {
            return Future.succeededFuture();
        }
        io.sluice.config.ConfigException missing = localPartsMissing("localLambda.enabled");
        return missing != null ? Future.failedFuture(missing) : startLocalEndpoint();
    }

    private Future<Void> startLocalEndpoint() {
        return local().startLambda(vertx, config.localLambda()).map(url -> {
            URI endpoint = URI.create(url);
            List<PipelineSettings> ps = new ArrayList<>();
            for (PipelineSettings p : config.pipelines()) {
                LambdaSettings ls = p.lambda();
                ps.add(ls.endpointOverride() == null ? p.withLambda(ls.withEndpointOverride(endpoint)) : p);
            }
            config = config.withPipelines(ps);
            return null;
        });
    }

    private Future<Void> startProducer() {
        if (!config.producer().enabled()) {
            return Future.succeededFuture();
        }
        // The Kafka producer resolves names and loads key stores when it is built: off the event loop.
        return vertx.executeBlocking(this::newProducer, false)
                .compose(producer -> {
                    producerVerticle = new ProducerVerticle(config.producer(), producer, registry, hotKeys.producer());
                    return vertx.deployVerticle(
                            producerVerticle,
                            new DeploymentOptions()
                                    .setConfig(new JsonObject()
                                            .put(
                                                    ProducerVerticle.CLUSTER_CONSUMERS,
                                                    config.cluster().enabled())));
                })
                .map(id -> {
                    producerDeployment = id;
                    return null;
                });
    }

    /**
     * The wire codecs of {@code sluice.produce.batch} (every mode: inside the JVM they hand the objects over exactly as
     * the local codec does) and, in cluster mode, the gate that serves only allowed remote callers, installed before
     * the producer's consumers are registered cluster-wide.
     */
    private Future<Void> prepareBus() {
        WireCodecs.register(vertx);
        ClusterSettings c = config.cluster();
        if (!c.enabled()) {
            return Future.succeededFuture();
        }
        if (!vertx.isClustered()) {
            return Future.failedFuture(
                    new io.sluice.config.ConfigException(
                            "cluster.enabled",
                            "needs a clustered Vert.x (java -jar sluice.jar starts one; when embedding, build yours with a cluster manager)"));
        }
        remoteGate = new RemoteGate(vertx, new RemoteAccess(c.allowedCallers())).install();
        LOG.info("Clustered event bus: {} serve remote callers {}", RemoteAccess.REMOTE_ADDRESSES, c.allowedCallers());
        return Future.succeededFuture();
    }

    private Future<Void> startIngest() {
        if (!config.ingest().enabled()) {
            return Future.succeededFuture();
        }
        ingest = new IngestVerticle(config.ingest(), ingestProduceTimeoutMs(config.producer()), registry);
        return vertx.deployVerticle(ingest).map(id -> {
            ingestDeployment = id;
            return null;
        });
    }

    /**
     * Event-bus timeout of the ingest's {@code sluice.produce} requests: above everything the producer may
     * take before it answers (send blocking, delivery timeout, rate-limit wait), so the answer is always the
     * producer's own and an event answered as failed is never written afterwards.
     */
    static long ingestProduceTimeoutMs(io.sluice.producer.ProducerSettings p) {
        long delivery = Long.parseLong(p.kafka().getOrDefault("delivery.timeout.ms", "120000"));
        long maxBlock = Long.parseLong(p.kafka().getOrDefault("max.block.ms", "60000"));
        long maxWait = p.rate() != null && p.rate().getValue("maxWaitMs") instanceof Number n ? n.longValue() : 1000;
        return delivery + maxBlock + maxWait + 5_000;
    }

    /** The port the HTTP ingest is bound to, or -1 when it is not running. */
    public int ingestPort() {
        return ingest == null ? -1 : ingest.actualPort();
    }

    private Future<Void> startPipelines() {
        Future<Void> chain = Future.succeededFuture();
        for (PipelineSettings p : config.pipelines()) {
            Pipeline pipeline = new Pipeline(vertx, p, config.kafka(), registry, hotKeys.consumer(p.name()));
            pipelines.add(pipeline);
            chain = chain.compose(v -> pipeline.start());
        }
        return chain;
    }

    private Future<Void> startGenerator() {
        if (!config.generator().enabled()) {
            return Future.succeededFuture();
        }
        return vertx.deployVerticle(new GeneratorVerticle(config.generator(), registry))
                .map(id -> {
                    generatorDeployment = id;
                    return null;
                });
    }

    /** The admin HTTP server, last: it observes and controls everything started before it. */
    private Future<Void> startAdmin() {
        if (!config.admin().enabled()) {
            return Future.succeededFuture();
        }
        admin = new AdminHttpVerticle(
                config.admin(),
                new AdminHttpVerticle.Targets(
                        pipelines,
                        registry,
                        config.kafka(),
                        config.producer().enabled(),
                        config.generator().enabled()));
        admin.statusSection("hotKeys", hotKeys::toJson);
        TlsStatus tlsStatus = tls.status();
        if (tlsStatus != null) {
            admin.readinessCheck("tls", tlsStatus::readiness);
        }
        return vertx.deployVerticle(admin).map(id -> {
            adminDeployment = id;
            return null;
        });
    }

    /** The port the admin HTTP server is bound to, or -1 when it is not running. */
    public int adminPort() {
        return admin == null ? -1 : admin.actualPort();
    }

    private void startStatus() {
        if (config.statusIntervalMs() <= 0) {
            return;
        }
        StatusReporter reporter = new StatusReporter(registry);
        statusTimer = vertx.setPeriodic(config.statusIntervalMs(), id -> LOG.info("{}", reporter.line()));
    }

    /**
     * Graceful stop, in reverse order of start; every step bounded, failures logged and passed over. The first
     * call stops; later calls get the same future. After {@value #STOP_BOUND_MS} ms the broker is closed anyway.
     */
    private Future<Void> stopBounded() {
        if (!stopped.compareAndSet(false, true)) {
            return stoppedPromise.future();
        }
        LOG.info("Stopping Sluice");
        // a rotation in progress finishes first (its pipeline restarts are bounded); none starts after this
        Future<Void> graceful = (tls == null ? Future.<Void>succeededFuture() : tls.close()).compose(v -> stopAll());
        io.vertx.core.Timer bound = vertx.timer(STOP_BOUND_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        Future.any(graceful, bound).onComplete(ar -> {
            bound.cancel();
            Future<Void> after = graceful.isComplete() ? Future.succeededFuture() : forceCloseBroker();
            after.compose(x -> telemetry == null ? Future.succeededFuture() : telemetry.stop())
                    .onComplete(x -> {
                        LOG.info("Sluice stopped");
                        stoppedPromise.tryComplete();
                    });
        });
        return stoppedPromise.future();
    }

    private Future<Void> forceCloseBroker() {
        LOG.warn("Stop did not complete within {} ms: closing the embedded broker regardless", STOP_BOUND_MS);
        LocalMode l = local;
        return l == null
                ? Future.succeededFuture()
                : vertx.<Void>executeBlocking(() -> {
                            l.closeBroker();
                            return null;
                        })
                        .recover(this::logged);
    }

    private Future<Void> stopAll() {
        if (hotKeys != null) {
            hotKeys.stop();
        }
        if (statusTimer >= 0) {
            vertx.cancelTimer(statusTimer);
        }
        // intake first: the ingest answers 503 to new requests and waits (bounded) for those in progress
        if (remoteGate != null) {
            remoteGate.stopping(); // remote intake closes with the ingest: 503 stopping from now on
        }
        Future<Void> chain = undeploy(adminDeployment)
                .compose(v -> undeploy(ingestDeployment))
                .compose(v -> undeploy(generatorDeployment))
                .compose(v -> {
                    // The producer's flush and the pipelines' drains are independent: side by side, so the
                    // whole stop is bounded by the longest of them, not their sum (a dead broker makes each
                    // wait its full bound).
                    List<Future<Void>> parallel = new ArrayList<>();
                    parallel.add(undeploy(producerDeployment));
                    for (Pipeline p : pipelines) {
                        parallel.add(p.stop().recover(this::logged));
                    }
                    return Future.join(parallel).<Void>mapEmpty().recover(this::logged);
                });
        return chain.compose(v -> local == null
                        ? Future.<Void>succeededFuture()
                        : local.closeLambda().recover(this::logged))
                .compose(v -> local == null
                        ? Future.<Void>succeededFuture()
                        : vertx.<Void>executeBlocking(() -> {
                                    local.closeBroker();
                                    return null;
                                })
                                .recover(this::logged))
                // callers in other JVMs that sent before their first 'stopping' get theirs too, not silence
                .compose(v -> remoteGate == null
                        ? Future.<Void>succeededFuture()
                        : remoteGate.quiet(REMOTE_QUIET_MS, REMOTE_QUIET_MAX_MS))
                .onComplete(ar -> {
                    if (remoteGate != null) {
                        remoteGate.uninstall();
                    }
                });
    }

    private Future<Void> undeploy(String id) {
        return id == null ? Future.succeededFuture() : vertx.undeploy(id).recover(this::logged);
    }

    private Future<Void> logged(Throwable err) {
        LOG.warn("Stop step failed: {}", err.toString());
        return Future.succeededFuture();
    }

    /** The effective configuration (after start: with the embedded broker's and local endpoint's addresses). */
    public SluiceConfig settings() {
        return config;
    }

    /** The embedded broker in local mode, else null (tests, embedding; not in the EC2 jar). */
    public EmbeddedKafkaCluster cluster() {
        LocalMode l = local;
        return l == null ? null : l.broker();
    }

    /** The local Lambda endpoint in local mode, else null (tests, embedding; not in the EC2 jar). */
    public LocalLambdaServer localLambda() {
        LocalMode l = local;
        return l == null ? null : l.lambda();
    }

    public List<Pipeline> pipelines() {
        return pipelines;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Whether the stop (undeploy, Vert.x close) has completed. */
    public boolean isStopped() {
        return stoppedPromise.future().isComplete();
    }
}
