package io.sluice.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.bus.Addresses;
import io.sluice.bus.LocalCodec;
import io.sluice.http.ClientErrorLog;
import io.sluice.http.ConnectionGuard;
import io.sluice.http.LingeringClose;
import io.sluice.producer.ProduceAnswer;
import io.sluice.producer.ProduceBatch;
import io.sluice.producer.ProduceBatchReply;
import io.sluice.producer.ProduceResult;
import io.sluice.producer.ProducerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP ingest: {@code POST /v1/events} with one JSON object, a JSON array of objects, or NDJSON. The
 * events go to the producer in one {@code sluice.produce.batch} request (in body order; one
 * {@code sluice.produce} request per event when no producer serves the batch address) and the answer lists
 * every event's outcome;
 * see {@link IngestAnswer} for the overall status and {@link EventBodyParser} for what is refused before
 * anything is sent (400/413/415). The {@code X-Correlation-Id} header (or a generated id) is passed as the
 * {@code correlation-id} event-bus header and echoed in the answer.
 *
 * <p>Graceful stop: new requests are answered 503 {@code stopping} at once, requests already being
 * processed get their answers (bounded by {@code drainTimeoutMs}), then the server closes. Deploy it after
 * the producer and undeploy it first.
 *
 * <p>Metrics: {@code sluice.ingest.requests{status}}, {@code sluice.ingest.events{result}}.
 */
public final class IngestVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(IngestVerticle.class);
    public static final String PATH = "/v1/events";
    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    /** Value of the {@code sluice-source} event-bus header (it lands in DLQ records of invalid events). */
    public static final String SOURCE = "http-ingest";

    private static final Pattern CORRELATION = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");

    private final IngestSettings settings;
    private final long produceTimeoutMs;
    private final MeterRegistry registry;
    private final EventBodyParser parser;
    private final Map<ProduceAnswer, Counter> eventCounters = new EnumMap<>(ProduceAnswer.class);
    private final ClientErrorLog clientLog = ClientErrorLog.of(LOG);
    private ConnectionGuard guard;
    private io.sluice.tls.ServerTlsRotation rotation;
    private final IngestGate gate;
    private HttpServer server;
    private int actualPort = -1;
    private boolean stopping;
    private int inFlightRequests;
    private Promise<Void> drained;
    private io.sluice.tracing.IngestTrace trace;

    /**
     * @param settings         the ingest settings
     * @param produceTimeoutMs event-bus timeout of each {@code sluice.produce(.batch)} request; keep it above the
     *                         producer's own bound (delivery timeout + rate-limit wait) so the answer is
     *                         always the producer's and a refused event is never written later
     * @param registry         metrics
     */
    public IngestVerticle(IngestSettings settings, long produceTimeoutMs, MeterRegistry registry) {
        this.settings = settings;
        this.produceTimeoutMs = produceTimeoutMs;
        this.registry = registry;
        this.parser = new EventBodyParser(settings.maxEventsPerRequest());
        io.sluice.metrics.HttpMetricTags.install(registry);
        this.gate = new IngestGate(settings.auth(), registry);
        for (ProduceAnswer a : ProduceAnswer.values()) {
            eventCounters.put(
                    a,
                    Counter.builder("sluice.ingest.events")
                            .tag("result", a.label())
                            .register(registry));
        }
    }

    @Override
    public Future<?> start() {
        trace = new io.sluice.tracing.IngestTrace(io.sluice.tracing.Tracing.of(vertx));
        Router router = Router.router(vertx);
        router.post(PATH).handler(this::receive);
        router.errorHandler(
                404,
                ctx -> send(
                        ctx,
                        IngestAnswer.refused(
                                correlationIdOrNew(ctx), 404, null, "no such resource; events are posted to " + PATH)));
        router.errorHandler(
                405,
                ctx -> send(
                        ctx,
                        IngestAnswer.refused(
                                correlationIdOrNew(ctx), 405, null, "method not allowed; use POST " + PATH)));
        router.errorHandler(500, ctx -> {
            LOG.warn("Ingest request failed: {}", ClientErrorLog.describe(ctx.failure()));
            send(ctx, IngestAnswer.refused(correlationIdOrNew(ctx), 500, null, "internal error"));
        });
        LocalCodec.registerAll(vertx, ProduceBatch.class, ProduceBatchReply.class);
        guard = new ConnectionGuard(vertx, settings.limits(), "ingest", clientLog);
        // bodies are inflated here, bounded (BoundedBody), never by the server
        HttpServerOptions base = guard.options(new HttpServerOptions()
                .setHost(settings.host())
                .setPort(settings.port())
                .setCompressionSupported(false)
                .setDecompressionSupported(false));
        io.sluice.tls.ServerTls tls = settings.tls();
        java.time.Clock clock = java.time.Clock.systemUTC();
        String[] fingerprint = new String[1];
        Future<HttpServerOptions> opts = vertx.executeBlocking(
                () -> {
                    gate.load();
                    if (!tls.enabled()) {
                        return base;
                    }
                    fingerprint[0] = io.sluice.tls.TlsMaterial.fingerprint(tls.material());
                    return io.sluice.tls.ServerTls.apply(base, tls.sslOptions(clock));
                },
                false);
        return opts.compose(o -> guard.attach(vertx.createHttpServer(o), router).listen())
                .onSuccess(s -> {
                    server = s;
                    actualPort = s.actualPort();
                    gate.watch(vertx);
                    if (tls.enabled()) {
                        rotation = io.sluice.tls.ServerTlsRotation.start(vertx, tls, s, fingerprint[0], clock);
                    }
                    LOG.info(
                            "HTTP ingest listening on {}://{}:{} (POST {}; Host allowed: {}{})",
                            tls.enabled() ? "https" : "http",
                            settings.host(),
                            actualPort,
                            PATH,
                            settings.allowedHosts(),
                            tls.clientAuthRequired() ? "; client certificate required" : "");
                });
    }

    /** Host check, then the body read within the limits (inflated when encoded), then {@link #handle}. */
    private void receive(RoutingContext ctx) {
        String hostHeader = ctx.request().getHeader(HttpHeaders.HOST);
        if (!settings.hostAllowed(hostHeader)) {
            refuseAndClose(
                    ctx, 421, "Host", "Host: '" + printable(hostHeader) + "' is not served here (ingest.allowedHosts)");
            return;
        }
        IngestGate.Verdict who = gate.check(ctx.request());
        if (!who.allowed()) {
            refuseAndClose(ctx, who.status(), "Authorization", who.message());
            return;
        }
        String encoding;
        try {
            encoding = BoundedBody.encoding(ctx.request());
        } catch (BoundedBody.TooLarge e) {
            refuseAndClose(ctx, e.status, "Content-Encoding", e.getMessage());
            return;
        }
        BoundedBody.read(ctx.request(), settings.maxBodyBytes())
                .compose(raw -> encoding == null
                        ? Future.succeededFuture(raw)
                        : vertx.executeBlocking(
                                () -> BoundedBody.inflate(raw, encoding, settings.maxBodyBytes()), false))
                .onSuccess(body -> handle(ctx, body))
                .onFailure(err -> {
                    if (err instanceof BoundedBody.TooLarge t) {
                        refuseAndClose(ctx, t.status, "body", t.getMessage());
                    } // else the client went away mid-body: nobody to answer
                });
    }

    private void refuseAndClose(RoutingContext ctx, int status, String field, String message) {
        clientLog.info("ingest: " + status + " for " + ctx.request().remoteAddress() + ": " + message);
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        HttpServerRequest req = ctx.request();
        send(ctx, IngestAnswer.refused(correlationIdOrNew(ctx), status, field, message))
                .onComplete(ar -> LingeringClose.close(vertx, req));
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The bound port, once started. */
    public int actualPort() {
        return actualPort;
    }

    private void handle(RoutingContext ctx, Buffer body) {
        String correlationId = ctx.request().getHeader(CORRELATION_HEADER);
        if (correlationId != null && !CORRELATION.matcher(correlationId).matches()) {
            send(
                    ctx,
                    IngestAnswer.refused(
                            UUID.randomUUID().toString(),
                            400,
                            CORRELATION_HEADER,
                            CORRELATION_HEADER + ": must be 1-128 characters of [A-Za-z0-9._:/+=-]"));
            return;
        }
        if (correlationId == null) {
            correlationId = UUID.randomUUID().toString();
        }
        if (stopping) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            send(ctx, IngestAnswer.refused(correlationId, 503, null, "stopping: the service is shutting down"));
            return;
        }
        ParsedBody parsed = parser.parse(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE), body);
        if (parsed instanceof ParsedBody.Refused r) {
            send(ctx, IngestAnswer.refused(correlationId, r.status(), r.field(), r.message()));
            return;
        }
        ParsedBody.Events events = (ParsedBody.Events) parsed;
        inFlightRequests++;
        String cid = correlationId;
        io.opentelemetry.api.trace.Span span = trace.start(ctx.request(), cid);
        produceAll(events, trace.inject(span, deliveryOptions(cid))).onComplete(ar -> {
            inFlightRequests--;
            IngestAnswer answer;
            if (ar.succeeded()) {
                answer = IngestAnswer.of(cid, ar.result());
            } else { // not expected: every per-event failure is recovered into a result
                LOG.warn("Ingest request {} failed", cid, ar.cause());
                answer = IngestAnswer.refused(cid, 500, null, "internal error");
            }
            send(ctx, answer);
            trace.end(span, answer.status(), events.size());
            if (inFlightRequests == 0 && drained != null) {
                drained.tryComplete();
            }
        });
    }

    /**
     * Sends every event in body order, in one {@code sluice.produce.batch} request; the future always succeeds
     * with every event's result. When no producer answers that address (one that only serves
     * {@code sluice.produce}), each event is sent on its own instead.
     */
    private Future<List<EventResult>> produceAll(ParsedBody.Events events, DeliveryOptions opts) {
        return vertx.eventBus()
                .<Object>request(Addresses.PRODUCE_BATCH, new ProduceBatch(events.events()), opts)
                .map(reply -> batchResults(events, reply.body()))
                .recover(err -> err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
                        ? produceEach(events, opts)
                        : Future.succeededFuture(allFailed(events, err)))
                .map(results -> {
                    results.forEach(r -> eventCounters.get(r.answer()).increment());
                    return results;
                });
    }

    private DeliveryOptions deliveryOptions(String correlationId) {
        return new DeliveryOptions()
                .setSendTimeout(produceTimeoutMs)
                .addHeader(ProducerVerticle.CORRELATION_HEADER, correlationId)
                .addHeader(ProducerVerticle.H_SOURCE, SOURCE);
    }

    private List<EventResult> batchResults(ParsedBody.Events events, Object body) {
        if (!(body instanceof ProduceBatchReply reply) || reply.size() != events.size()) {
            return allFailed(
                    events,
                    new IllegalStateException("the producer's batch answer does not match the request: " + body));
        }
        List<EventResult> results = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            ProduceResult r = reply.results().get(i);
            String eventId = events.eventIds().get(i);
            results.add(
                    r.isAccepted()
                            ? EventResult.accepted(i, eventId, r.topic(), r.partition(), r.offset())
                            : r.isSuccess()
                                    ? EventResult.spooled(i, eventId, r.topic())
                                    : EventResult.failed(i, eventId, r.answer(), r.error()));
        }
        return results;
    }

    private List<EventResult> allFailed(ParsedBody.Events events, Throwable err) {
        List<EventResult> results = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            results.add(failed(i, events.eventIds().get(i), err));
        }
        return results;
    }

    /** One {@code sluice.produce} request per event, in body order; each one's future always succeeds with its result. */
    private Future<List<EventResult>> produceEach(ParsedBody.Events events, DeliveryOptions opts) {
        List<Future<EventResult>> futures = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            int index = i;
            String eventId = events.eventIds().get(i);
            Buffer event = events.events().get(i);
            futures.add(vertx.eventBus()
                    .<Object>request(Addresses.PRODUCE, event, opts)
                    .map(reply -> accepted(index, eventId, reply))
                    .recover(err -> Future.succeededFuture(failed(index, eventId, err))));
        }
        return Future.all(futures).map(all -> {
            List<EventResult> results = new ArrayList<>(futures.size());
            for (Future<EventResult> f : futures) {
                results.add(f.result());
            }
            return results;
        });
    }

    private static EventResult accepted(int index, String eventId, Message<Object> reply) {
        if (reply.body() instanceof JsonObject md
                && ProduceAnswer.SPOOLED.label().equals(md.getString("status"))) {
            return EventResult.spooled(index, eventId, md.getString("topic"));
        }
        if (reply.body() instanceof JsonObject md) {
            return EventResult.accepted(
                    index, eventId, md.getString("topic"), md.getInteger("partition", -1), md.getLong("offset", -1L));
        }
        return EventResult.accepted(index, eventId, null, -1, -1);
    }

    private EventResult failed(int index, String eventId, Throwable err) {
        if (err instanceof ReplyException re) {
            if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
                return EventResult.failed(
                        index, eventId, EventResult.classify(re.failureCode(), re.getMessage()), re.getMessage());
            }
            if (re.failureType() == ReplyFailure.NO_HANDLERS) {
                return EventResult.failed(
                        index, eventId, ProduceAnswer.UNAVAILABLE, "unavailable: no producer is running");
            }
            return EventResult.failed(
                    index,
                    eventId,
                    ProduceAnswer.UNAVAILABLE,
                    "unavailable: no answer from the producer "
                            + "within " + produceTimeoutMs
                            + " ms; the event may or may not have been written (retrying is safe, "
                            + "delivery is at-least-once)");
        }
        return EventResult.failed(index, eventId, ProduceAnswer.UNAVAILABLE, "unavailable: " + err);
    }

    private Future<Void> send(RoutingContext ctx, IngestAnswer answer) {
        Counter.builder("sluice.ingest.requests")
                .tag("status", Integer.toString(answer.status()))
                .register(registry)
                .increment();
        HttpServerResponse res = ctx.response();
        if (res.ended() || res.closed()) {
            return Future.succeededFuture();
        }
        String cid = answer.body().getString("correlationId");
        if (cid != null) {
            res.putHeader(CORRELATION_HEADER, cid);
        }
        if (answer.retryAfter() > 0) {
            res.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(answer.retryAfter()));
        }
        return res.setStatusCode(answer.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(answer.body().toBuffer());
    }

    private static String correlationIdOrNew(RoutingContext ctx) {
        String c = ctx.request().getHeader(CORRELATION_HEADER);
        return c != null && CORRELATION.matcher(c).matches()
                ? c
                : UUID.randomUUID().toString();
    }

    /**
     * Graceful stop: refuse new requests (503), let requests in progress get their answers within
     * {@code drainTimeoutMs}, then close the server.
     */
    @Override
    public Future<?> stop() {
        stopping = true;
        int pendingAtStop = inFlightRequests;
        drained = Promise.promise();
        if (inFlightRequests == 0) {
            drained.tryComplete();
        }
        long timer = vertx.setTimer(Math.max(1, settings.drainTimeoutMs()), id -> drained.tryComplete());
        return drained.future().compose(v -> {
            vertx.cancelTimer(timer);
            LOG.info(
                    "HTTP ingest stopped: {} request(s) were in progress, {} answered, {} still waiting for the producer",
                    pendingAtStop,
                    pendingAtStop - Math.min(pendingAtStop, inFlightRequests),
                    inFlightRequests);
            if (guard != null) {
                guard.close();
            }
            if (rotation != null) {
                rotation.stop();
            }
            gate.stop(vertx);
            return server == null ? Future.succeededFuture() : server.close();
        });
    }
}
