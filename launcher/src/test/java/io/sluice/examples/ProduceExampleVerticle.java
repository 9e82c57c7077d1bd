package io.sluice.examples;

import io.sluice.bus.Addresses;
import io.sluice.producer.ProduceBatch;
import io.sluice.producer.ProduceBatchReply;
import io.sluice.producer.ProduceResult;
import io.sluice.producer.WireCodecs;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An application's verticle producing through Sluice's event bus, in the same JVM or in another JVM of the cluster:
 * reads the producer rate ({@code sluice.producer.rate}), then sends {@code events} events over
 * {@code sluice.produce.batch} in batches of {@code batchSize} ({@code inFlight} batches at a time), each event with a
 * unique {@code eventId}. Config: {@code {"events":10000, "batchSize":500, "inFlight":4, "prefix":"ex-",
 * "caller":"example"}} ({@code caller} goes into the {@code sluice-caller} header that a clustered Sluice checks).
 * Until the first batch is answered, "no handlers" (Sluice not yet registered) is retried after 200 ms.
 */
public final class ProduceExampleVerticle extends VerticleBase {
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Promise<JsonObject> done = Promise.promise();
    private volatile JsonObject rate;
    private int next;
    private int events;
    private int batchSize;
    private String prefix;
    private DeliveryOptions options;
    private boolean answeredOnce;

    @Override
    public Future<?> start() {
        WireCodecs.register(vertx); // batches may cross JVMs; inside one JVM they are still handed over
        JsonObject c = config();
        events = c.getInteger("events", 10_000);
        batchSize = c.getInteger("batchSize", 500);
        prefix = c.getString("prefix", "ex-");
        options = new DeliveryOptions()
                .setSendTimeout(c.getLong("timeoutMs", 60_000L))
                .addHeader(Addresses.CALLER_HEADER, c.getString("caller", "example"));
        int inFlight = c.getInteger("inFlight", 4);
        readRate()
                .onSuccess(r -> {
                    rate = r;
                    for (int i = 0; i < inFlight; i++) {
                        sendNext();
                    }
                })
                .onFailure(done::tryFail);
        return Future.succeededFuture();
    }

    /** The producer's effective rate ({@code {"messagesPerSecond":…, "bytesPerSecond":…}}), retried while Sluice is not there yet. */
    private Future<JsonObject> readRate() {
        return vertx.eventBus()
                .<JsonObject>request(Addresses.PRODUCER_RATE, new JsonObject(), options)
                .map(Message::body)
                .recover(err -> noHandlers(err) ? vertx.timer(200).compose(v -> readRate()) : Future.failedFuture(err));
    }

    private void sendNext() {
        if (next >= events) {
            return;
        }
        int from = next;
        int to = Math.min(events, from + batchSize);
        next = to;
        List<Object> batch = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            batch.add(new JsonObject()
                    .put("eventId", prefix + i)
                    .put("code", 400 + (i % 7))
                    .put("truckId", "T-" + (i % 50))
                    .put("timestamp", System.currentTimeMillis())
                    .put("seq", i));
        }
        send(from, to, new ProduceBatch(batch));
    }

    private void send(int from, int to, ProduceBatch batch) {
        vertx.eventBus()
                .<ProduceBatchReply>request(Addresses.PRODUCE_BATCH, batch, options)
                .onComplete(ar -> {
                    if (ar.failed() && !answeredOnce && noHandlers(ar.cause())) {
                        vertx.timer(200).onComplete(t -> send(from, to, batch));
                        return;
                    }
                    answeredOnce = true;
                    if (ar.succeeded()) {
                        List<ProduceResult> results = ar.result().body().results();
                        for (int i = 0; i < results.size(); i++) {
                            ProduceResult r = results.get(i);
                            if (r.isAccepted()) {
                                accepted.add(prefix + (from + i));
                            } else {
                                failures.merge(r.answer().label(), 1, Integer::sum);
                            }
                        }
                    } else {
                        failures.merge(label(ar.cause()), to - from, Integer::sum);
                    }
                    if (accepted.size()
                                    + failures.values().stream()
                                            .mapToInt(Integer::intValue)
                                            .sum()
                            == events) {
                        done.tryComplete(summary());
                    } else {
                        sendNext();
                    }
                });
    }

    static boolean noHandlers(Throwable err) {
        return err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
    }

    /** A failed request's class: the producer's label ({@code stopping}, {@code forbidden}, ...) or the bus failure. */
    static String label(Throwable err) {
        if (err instanceof ReplyException re) {
            if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
                String m = String.valueOf(re.getMessage());
                int colon = m.indexOf(':');
                return re.failureCode() + " " + (colon > 0 ? m.substring(0, colon) : m);
            }
            return re.failureType().name();
        }
        return err.getClass().getSimpleName();
    }

    /** Completes when every event has its result: {@code {"accepted":n, "failures":{label:n}, "rate":{…}}}. */
    public Future<JsonObject> done() {
        return done.future();
    }

    /** The ids Sluice accepted (written to Kafka). */
    public Set<String> acceptedIds() {
        return accepted;
    }

    private JsonObject summary() {
        JsonObject f = new JsonObject();
        new TreeMap<>(failures).forEach(f::put);
        return new JsonObject()
                .put("accepted", accepted.size())
                .put("failures", f)
                .put("rate", rate);
    }
}
