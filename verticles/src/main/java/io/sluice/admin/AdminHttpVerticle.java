package io.sluice.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.batch.BatchSettings;
import io.sluice.bus.Addresses;
import io.sluice.consumer.PauseState;
import io.sluice.generator.GeneratorSettings;
import io.sluice.generator.GeneratorVerticle;
import io.sluice.http.ClientErrorLog;
import io.sluice.http.ConnectionGuard;
import io.sluice.kafka.KafkaSettings;
import io.sluice.metrics.HttpMetricTags;
import io.sluice.pipeline.Pipeline;
import io.sluice.producer.TokenBucket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP server: health, readiness, Prometheus metrics, status JSON, runtime tuning and the live
 * dashboard. Endpoints (documented in docs/operations.md, "Admin API and dashboard"):
 * <ul>
 *   <li>{@code GET /health/live}, {@code GET /health/ready} (503 naming the failed checks)</li>
 *   <li>{@code GET /metrics} (Prometheus text), {@code GET /api/status} (JSON)</li>
 *   <li>bearer token required: {@code POST /api/consumer/pause}, {@code POST /api/consumer/resume}
 *       ({@code ?pipeline=} or body {@code {"pipeline":…}}; all pipelines when absent),
 *       {@code PUT /api/producer/rate}, {@code PUT /api/batch}, {@code PUT /api/concurrency}, {@code PUT /api/generator},
 *       {@code POST /api/pipelines/{name}/replay} ({@link ReplayEndpoint})</li>
 *   <li>{@code GET /} the dashboard (classpath {@code webroot/})</li>
 * </ul>
 * Errors are JSON {@code {"status":…,"error":…,"field":…}}: 400 bad body, 401/403 auth, 404 unknown path,
 * 409 target not deployed. Changes apply at once, without a restart, and are answered with the new
 * effective values. Deploy it after the pipelines (it reads them) and undeploy it first.
 */
public final class AdminHttpVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHttpVerticle.class);
    private static final long BODY_LIMIT = 16 * 1024;
    private static final long HISTORY_MS = 60_000;
    /** API paths; another method on one of them is 405, anything else unknown is 404. */
    private static final Set<String> ENDPOINTS = Set.of(
            "/health/live",
            "/health/ready",
            "/metrics",
            "/api/status",
            "/api/consumer/pause",
            "/api/consumer/resume",
            "/api/producer/rate",
            "/api/batch",
            "/api/concurrency",
            "/api/generator");

    /** What the admin server observes and controls. */
    public record Targets(
            List<Pipeline> pipelines,
            MeterRegistry registry,
            KafkaSettings kafka,
            boolean producerEnabled,
            boolean generatorEnabled) {
        public Targets {
            pipelines = List.copyOf(pipelines);
        }
    }

    private final AdminSettings settings;
    private final Targets targets;
    private final Map<String, Pipeline> byName = new LinkedHashMap<>();
    private final CounterHistory history = new CounterHistory(HISTORY_MS);
    private LagMonitor lag;
    private ScalingMonitor scaling;
    private KafkaProbe kafka;
    private MeterReader meters;
    private StatusView view;
    private HttpServer server;
    private long timer = -1;
    private volatile int actualPort = -1;
    private final Map<String, java.util.function.Supplier<JsonObject>> extraChecks = new LinkedHashMap<>();
    private final Map<String, java.util.function.Supplier<JsonObject>> statusSections = new LinkedHashMap<>();
    private final ClientErrorLog clientLog = ClientErrorLog.of(LOG);
    private final AuthThrottle throttle = new AuthThrottle(System::currentTimeMillis);
    private ConnectionGuard guard;
    private io.sluice.tls.ServerTlsRotation rotation;
    private volatile String tlsFingerprint;

    public AdminHttpVerticle(AdminSettings settings, Targets targets) {
        this.settings = settings;
        this.targets = targets;
        HttpMetricTags.install(targets.registry());
        for (Pipeline p : targets.pipelines()) {
            byName.put(p.settings().name(), p);
        }
    }

    @Override
    public Future<?> start() {
        lag = new LagMonitor(
                context,
                targets.registry(),
                targets.pipelines(),
                settings.lagWindowSamples(),
                System::currentTimeMillis);
        kafka = new KafkaProbe(vertx, context, targets.kafka());
        scaling = new ScalingMonitor(targets.registry(), targets.pipelines(), () -> kafka, System::currentTimeMillis);
        meters = new MeterReader(targets.registry(), new ArrayList<>(byName.keySet()));
        view = new StatusView(
                vertx,
                context,
                targets.pipelines(),
                lag,
                history,
                meters,
                kafka,
                targets.producerEnabled(),
                targets.generatorEnabled(),
                settings.lagRefreshMs());
        return kafka.start()
                .compose(v -> {
                    tick();
                    timer = vertx.setPeriodic(settings.lagRefreshMs(), id -> tick());
                    guard = new ConnectionGuard(vertx, settings.limits(), "admin", clientLog);
                    HttpServerOptions base = guard.options(
                            new HttpServerOptions().setHost(settings.host()).setPort(settings.port()));
                    io.sluice.tls.ServerTls tls = settings.tls();
                    java.time.Clock clock = java.time.Clock.systemUTC();
                    Future<HttpServerOptions> opts = !tls.enabled()
                            ? Future.succeededFuture(base)
                            : vertx.executeBlocking(
                                    () -> {
                                        tlsFingerprint = io.sluice.tls.TlsMaterial.fingerprint(tls.material());
                                        return io.sluice.tls.ServerTls.apply(base, tls.sslOptions(clock));
                                    },
                                    false);
                    Router router = router();
                    return opts.compose(o -> guard.attach(vertx.createHttpServer(o), req -> {
                                String problem = PathCheck.problem(req.path());
                                if (problem != null) {
                                    clientLog.info("admin: 400 for " + req.remoteAddress() + ": " + problem);
                                    req.response()
                                            .setStatusCode(400)
                                            .putHeader("Content-Type", "application/json")
                                            .putHeader("Cache-Control", "no-store")
                                            .end(new JsonObject()
                                                    .put("status", 400)
                                                    .put("error", problem)
                                                    .encode());
                                    return;
                                }
                                router.handle(req);
                            })
                            .listen());
                })
                .onSuccess(s -> {
                    server = s;
                    actualPort = s.actualPort();
                    if (settings.tls().enabled()) {
                        rotation = io.sluice.tls.ServerTlsRotation.start(
                                vertx, settings.tls(), s, tlsFingerprint, java.time.Clock.systemUTC());
                    }
                    LOG.info(
                            "Admin API and dashboard at {}://{}:{}/ (mutating endpoints need the bearer token)",
                            settings.tls().enabled() ? "https" : "http",
                            settings.host(),
                            actualPort);
                });
    }

    private void tick() {
        long now = System.currentTimeMillis();
        history.record(now, meters.counters());
        meters.tick(now);
        kafka.check();
        lag.refresh();
        scaling.tick(lag);
    }

    private Router router() {
        Router r = Router.router(vertx);
        r.route()
                .handler(
                        ctx -> { // again after a reroute (GET / → /index.html), which starts the answer afresh
                            io.sluice.http.SecurityHeaders.add(ctx.response());
                            ctx.next();
                        });
        r.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
        r.get("/health/ready")
                .handler(ctx -> view.readiness()
                        .map(this::withExtraChecks)
                        .onSuccess(body -> json(ctx, "UP".equals(body.getString("status")) ? 200 : 503, body))
                        .onFailure(ctx::fail));
        r.get("/metrics").handler(this::metrics);
        r.get("/api/status")
                .handler(ctx -> view.status()
                        .map(this::withSections)
                        .onSuccess(body -> json(ctx, 200, body))
                        .onFailure(ctx::fail));

        BearerAuth auth = new BearerAuth(settings.token(), throttle);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
        r.post("/api/consumer/pause").handler(body).handler(auth).handler(ctx -> pause(ctx, true));
        r.post("/api/consumer/resume").handler(body).handler(auth).handler(ctx -> pause(ctx, false));
        r.put("/api/producer/rate").handler(body).handler(auth).handler(this::producerRate);
        r.put("/api/batch").handler(body).handler(auth).handler(this::batchSettings);
        r.put("/api/concurrency").handler(body).handler(auth).handler(this::concurrency);
        r.put("/api/generator").handler(body).handler(auth).handler(this::generatorRate);
        ReplayEndpoint replay = new ReplayEndpoint(byName);
        r.post("/api/pipelines/:name/replay")
                .handler(body)
                .handler(auth)
                .handler(ctx -> replay.handle(ctx, this::onContext));

        r.get("/").handler(ctx -> ctx.reroute("/index.html"));
        r.get("/*")
                .handler(
                        StaticHandler.create("webroot").setCachingEnabled(false).setDirectoryListing(false));

        r.route().failureHandler(this::failure);
        r.errorHandler(404, this::notFound);
        r.errorHandler(405, this::notFound);
        r.errorHandler(413, ctx -> HttpErrors.send(ctx, 413, "body: larger than " + BODY_LIMIT + " bytes"));
        return r;
    }

    /** An unmatched request: 405 on a known path with another method, else 404. */
    private void notFound(RoutingContext ctx) {
        String path = ctx.request().path();
        if (ENDPOINTS.contains(path)) {
            HttpErrors.send(ctx, 405, "method " + ctx.request().method() + " is not allowed on " + path);
        } else {
            HttpErrors.send(ctx, 404, "no such endpoint: " + ctx.request().method() + " " + path);
        }
    }

    private void failure(RoutingContext ctx) {
        Throwable f = ctx.failure();
        if (f instanceof BadRequest br) {
            HttpErrors.badRequest(ctx, br);
        } else if (ctx.statusCode() == 413) {
            HttpErrors.send(ctx, 413, "body: larger than " + BODY_LIMIT + " bytes");
        } else if (f == null && ctx.statusCode() >= 400) {
            HttpErrors.send(ctx, ctx.statusCode(), "request failed");
        } else if (ctx.response().closed() || f instanceof io.vertx.core.http.HttpClosedException) {
            // the client went away (e.g. mid-body): nobody to answer, nothing to report
        } else {
            clientLog.info("admin: request " + ctx.request().method() + " "
                    + ctx.request().path() + " failed: " + ClientErrorLog.describe(f));
            HttpErrors.send(
                    ctx,
                    500,
                    "internal error: " + (f == null ? "unknown" : f.getClass().getSimpleName()));
        }
    }

    private void metrics(RoutingContext ctx) {
        if (!(targets.registry() instanceof PrometheusMeterRegistry prom)) {
            HttpErrors.send(ctx, 501, "the meter registry is not a Prometheus registry");
            return;
        }
        // Scraping walks every meter: off the event loop.
        vertx.executeBlocking(prom::scrape, false)
                .onSuccess(text -> ctx.response()
                        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(text))
                .onFailure(ctx::fail);
    }

    // ---------------------------------------------------------------- control

    private void pause(RoutingContext ctx, boolean on) {
        List<Pipeline> chosen = select(ctx, RequestBody.parse(ctx.body().buffer(), Set.of("pipeline"), false));
        List<Future<JsonObject>> answers = new ArrayList<>();
        for (Pipeline p : chosen) {
            Future<Set<PauseState.Reason>> reasonsNow = p.manualPause(on);
            LOG.info(
                    "pipeline={} consumer {} by admin request from {}",
                    p.settings().name(),
                    on ? "paused" : "resumed",
                    ctx.request().remoteAddress());
            answers.add(onContext(reasonsNow.timeout(3, TimeUnit.SECONDS))
                    .map(reasons -> new JsonObject()
                            .put("name", p.settings().name())
                            .put("paused", !reasons.isEmpty())
                            .put("pauseReasons", StatusView.reasonsJson(reasons))));
        }
        Future.all(answers)
                .onSuccess(cf -> {
                    JsonArray arr = new JsonArray();
                    answers.forEach(f -> arr.add(f.result()));
                    json(ctx, 200, new JsonObject().put("pipelines", arr));
                })
                .onFailure(ctx::fail);
    }

    private void batchSettings(RoutingContext ctx) {
        Set<String> keys = Set.of("mode", "maxRecords", "maxBytes", "lingerMs", "maxWaitMs");
        RequestBody b = RequestBody.parse(
                ctx.body().buffer(),
                Set.of("pipeline", "mode", "maxRecords", "maxBytes", "lingerMs", "maxWaitMs"),
                false);
        if (keys.stream().noneMatch(b::has)) {
            throw new BadRequest(
                    null, "body: at least one of " + String.join(", ", new java.util.TreeSet<>(keys)) + " is required");
        }
        BatchSettings.Mode mode = null;
        if (b.has("mode")) {
            Object m = b.json().getValue("mode");
            mode = m instanceof String str ? BatchSettings.Mode.byConfigName().get(str) : null;
            if (mode == null) {
                throw new BadRequest(
                        "mode",
                        "must be one of "
                                + String.join(
                                        ", ", BatchSettings.Mode.byConfigName().keySet()));
            }
        }
        List<Pipeline> chosen = select(ctx, b);
        // validate for every chosen pipeline before changing any
        Map<Pipeline, BatchSettings> next = new LinkedHashMap<>();
        for (Pipeline p : chosen) {
            BatchSettings cur = p.tuning().batch();
            BatchSettings.Mode m = mode == null ? cur.mode() : mode;
            if (b.has("lingerMs") && m != BatchSettings.Mode.FIXED) {
                throw new BadRequest(
                        "lingerMs",
                        "applies to mode fixed only; pipeline " + p.settings().name()
                                + " runs adaptive (send \"mode\":\"fixed\" with it, or use maxWaitMs)");
            }
            if (b.has("maxWaitMs") && m != BatchSettings.Mode.ADAPTIVE) {
                throw new BadRequest(
                        "maxWaitMs",
                        "applies to mode adaptive only; pipeline "
                                + p.settings().name()
                                + " runs fixed (send \"mode\":\"adaptive\" with it, or use lingerMs)");
            }
            int maxRecordsLimit =
                    Math.min(BatchSettings.MAX_RECORDS_LIMIT, p.settings().inFlightMaxRecords());
            next.put(
                    p,
                    new BatchSettings(
                            m,
                            (int) b.integer(
                                    "maxRecords", Math.min(cur.maxRecords(), maxRecordsLimit), 1, maxRecordsLimit),
                            (int) b.integer("maxBytes", cur.maxBytes(), 1024, BatchSettings.MAX_BYTES_LIMIT),
                            b.integer("lingerMs", cur.lingerMs(), 0, BatchSettings.MAX_TIME_MS),
                            b.integer("maxWaitMs", cur.maxWaitMs(), 0, BatchSettings.MAX_TIME_MS)));
        }
        JsonArray arr = new JsonArray();
        next.forEach((p, s) -> {
            p.batchSettings(s);
            LOG.info(
                    "pipeline={} batch settings changed to {} by admin request",
                    p.settings().name(),
                    s);
            arr.add(new JsonObject().put("name", p.settings().name()).put("batch", StatusView.batchJson(s)));
        });
        json(ctx, 200, new JsonObject().put("pipelines", arr));
    }

    /**
     * {@code {"pipeline"?, "maxConcurrency": 1..lambda.maxConcurrency}}: the in-flight invocation limit
     * (match the function's reserved concurrency). The configured value is the ceiling: it sizes the
     * HTTP connection pool of the Lambda client.
     */
    private void concurrency(RoutingContext ctx) {
        RequestBody b = RequestBody.parse(ctx.body().buffer(), Set.of("pipeline", "maxConcurrency"), false);
        if (!b.has("maxConcurrency")) {
            throw new BadRequest("maxConcurrency", "maxConcurrency: is required");
        }
        List<Pipeline> chosen = select(ctx, b);
        Map<Pipeline, Integer> next = new LinkedHashMap<>();
        for (Pipeline p : chosen) {
            next.put(p, (int)
                    b.integer("maxConcurrency", 0, 1, p.settings().lambda().maxConcurrency()));
        }
        JsonArray arr = new JsonArray();
        next.forEach((p, n) -> {
            p.maxConcurrency(n);
            LOG.info(
                    "pipeline={} maxConcurrency changed to {} by admin request",
                    p.settings().name(),
                    n);
            arr.add(new JsonObject().put("name", p.settings().name()).put("maxConcurrency", n));
        });
        json(ctx, 200, new JsonObject().put("pipelines", arr));
    }

    private void producerRate(RoutingContext ctx) {
        RequestBody b = RequestBody.parse(ctx.body().buffer(), Set.of("messagesPerSecond", "bytesPerSecond"), true);
        JsonObject change = new JsonObject();
        for (String f : List.of("messagesPerSecond", "bytesPerSecond")) {
            if (b.has(f)) {
                change.put(f, b.number(f, 0, 0, TokenBucket.MAX_RATE));
            }
        }
        if (!targets.producerEnabled()) {
            HttpErrors.send(ctx, 409, "the producer is not deployed (producer.enabled=false)");
            return;
        }
        forward(ctx, Addresses.PRODUCER_RATE, change, "producer");
    }

    private void generatorRate(RoutingContext ctx) {
        RequestBody b = RequestBody.parse(ctx.body().buffer(), Set.of("rate"), true);
        double rate = b.number("rate", 0, 0, GeneratorSettings.MAX_RATE);
        if (!targets.generatorEnabled()) {
            HttpErrors.send(ctx, 409, "the generator is not deployed (generator.enabled=false)");
            return;
        }
        forward(ctx, GeneratorVerticle.RATE_ADDRESS, new JsonObject().put("rate", rate), "generator");
    }

    private void forward(RoutingContext ctx, String address, JsonObject change, String what) {
        onContext(vertx.eventBus().<JsonObject>request(address, change, StatusView.BUS))
                .onSuccess(reply -> {
                    LOG.info(
                            "{} changed to {} by admin request from {}",
                            what,
                            reply.body().encode(),
                            ctx.request().remoteAddress());
                    json(ctx, 200, reply.body());
                })
                .onFailure(err -> {
                    if (err instanceof ReplyException re
                            && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
                            && re.failureCode() == 400) {
                        String msg = String.valueOf(re.getMessage());
                        int colon = msg.indexOf(':');
                        HttpErrors.badRequest(
                                ctx,
                                new BadRequest(
                                        colon > 0 ? msg.substring(0, colon) : null,
                                        colon > 0 ? msg.substring(colon + 1).trim() : msg));
                    } else if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
                        HttpErrors.send(ctx, 409, "the " + what + " is not deployed");
                    } else {
                        HttpErrors.send(ctx, 503, "the " + what + " did not answer: " + err.getMessage());
                    }
                });
    }

    /** The pipelines a request names ({@code ?pipeline=} or body {@code pipeline}), or all of them. */
    private List<Pipeline> select(RoutingContext ctx, RequestBody body) {
        String name = ctx.queryParams().get("pipeline");
        if (name == null && body.has("pipeline")) {
            Object v = body.json().getValue("pipeline");
            if (!(v instanceof String s)) {
                throw new BadRequest("pipeline", "must be a pipeline name, one of " + byName.keySet());
            }
            name = s;
        }
        if (name == null) {
            return new ArrayList<>(byName.values());
        }
        Pipeline p = byName.get(name);
        if (p == null) {
            throw new BadRequest("pipeline", "unknown pipeline '" + name + "'; allowed: " + byName.keySet());
        }
        return List.of(p);
    }

    private <T> Future<T> onContext(Future<T> f) {
        return Future.fromCompletionStage(f.toCompletionStage(), context);
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }

    /**
     * Adds a readiness check (call before deploying): {@code check} answers {@code {"ok":…,"detail":…}}, it is
     * listed under {@code checks.<name>} and a failing one turns {@code /health/ready} DOWN (e.g. {@code tls}).
     */
    /** Adds a section to {@code /api/status} (e.g. {@code hotKeys}); the supplier runs on the admin event loop. */
    public AdminHttpVerticle statusSection(String name, java.util.function.Supplier<JsonObject> section) {
        statusSections.put(name, section);
        return this;
    }

    private JsonObject withSections(JsonObject status) {
        statusSections.forEach((name, s) -> status.put(name, s.get()));
        return scaling.addTo(status);
    }

    public AdminHttpVerticle readinessCheck(String name, java.util.function.Supplier<JsonObject> check) {
        extraChecks.put(name, check);
        return this;
    }

    private JsonObject withExtraChecks(JsonObject body) {
        if (extraChecks.isEmpty()) {
            return body;
        }
        JsonObject checks = body.getJsonObject("checks");
        JsonArray failed = body.getJsonArray("failed");
        extraChecks.forEach((name, check) -> {
            JsonObject c = check.get();
            checks.put(name, c);
            if (!c.getBoolean("ok", false)) {
                failed.add(name);
            }
        });
        return body.put("status", failed.isEmpty() ? "UP" : "DOWN");
    }

    /**
     * Replaces the Kafka admin client of the probes (TLS rotation: the new one reads the new material); the
     * old one is closed once the new one is up.
     */
    public Future<Void> recreateKafkaClient() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            KafkaProbe next = new KafkaProbe(vertx, context, targets.kafka());
            next.start()
                    .compose(x -> {
                        KafkaProbe old = kafka;
                        kafka = next;
                        view = new StatusView(
                                vertx,
                                context,
                                targets.pipelines(),
                                lag,
                                history,
                                meters,
                                kafka,
                                targets.producerEnabled(),
                                targets.generatorEnabled(),
                                settings.lagRefreshMs());
                        kafka.check();
                        return old == null ? Future.<Void>succeededFuture() : old.close();
                    })
                    .onComplete(done);
        });
        return done.future();
    }

    /** The port the server listens on (-1 before it started). */
    public int actualPort() {
        return actualPort;
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        if (lag != null) {
            lag.close();
            scaling.close();
        }
        if (guard != null) {
            guard.close();
        }
        if (rotation != null) {
            rotation.stop();
        }
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.compose(v -> kafka == null ? Future.succeededFuture() : kafka.close());
    }
}
