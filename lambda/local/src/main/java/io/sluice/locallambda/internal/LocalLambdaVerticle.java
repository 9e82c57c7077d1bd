package io.sluice.locallambda.internal;

import io.sluice.locallambda.SinkFaults;
import io.sluice.locallambda.SinkStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** The HTTP server of the local endpoint: Invoke API, control API and sink on one port. */
public final class LocalLambdaVerticle extends VerticleBase {

    /** Body cap of the control and sink routes (Invoke streams its body and answers 413 above 6 MB). */
    private static final long BODY_LIMIT = 64L * 1024 * 1024;

    private final String host;
    private final int port;
    private final FunctionRegistry registry;
    private final SinkStore sink;
    private final SinkFaults sinkFaults;
    private volatile HttpServer server;

    public LocalLambdaVerticle(
            String host, int port, FunctionRegistry registry, SinkStore sink, SinkFaults sinkFaults) {
        this.host = host;
        this.port = port;
        this.registry = registry;
        this.sink = sink;
        this.sinkFaults = sinkFaults;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        InvokeApi invoke = new InvokeApi(vertx, registry);
        ControlApi control = new ControlApi(registry);
        SinkApi sinkApi = new SinkApi(vertx, sink, sinkFaults);
        router.post("/2015-03-31/functions/:name/invocations").handler(invoke::handle); // reads its own body
        router.route("/local/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        router.route("/sink/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        router.get("/local/functions").handler(control::list);
        router.get("/local/functions/:name/faults").handler(control::getFaults);
        router.put("/local/functions/:name/faults").handler(control::putFaults);
        router.delete("/local/functions/:name/faults").handler(control::deleteFaults);
        router.post("/sink/events").handler(sinkApi::events);
        router.get("/sink/stats").handler(sinkApi::stats);
        router.post("/sink/reset").handler(sinkApi::reset);
        router.get("/sink/faults").handler(sinkApi::getFaults);
        router.put("/sink/faults").handler(sinkApi::putFaults);
        router.delete("/sink/faults").handler(sinkApi::deleteFaults);
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(router)
                .listen()
                .onSuccess(s -> server = s);
    }

    public int actualPort() {
        return server.actualPort();
    }
}
