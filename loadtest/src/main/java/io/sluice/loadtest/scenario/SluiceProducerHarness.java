package io.sluice.loadtest.scenario;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.bus.Addresses;
import io.sluice.config.Cfg;
import io.sluice.kafka.AsyncProducer;
import io.sluice.producer.ProduceBatch;
import io.sluice.producer.ProduceBatchReply;
import io.sluice.producer.ProduceResult;
import io.sluice.producer.ProducerSettings;
import io.sluice.producer.ProducerVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Sluice producer path in-process: a {@link ProducerVerticle} (validation, routing, keys, in-flight
 * bound, {@link AsyncProducer}) answering {@code sluice.produce}, driven through the event bus from another
 * event loop, exactly as the generator and the HTTP ingest use it. Throughput runs keep a bounded window of
 * outstanding requests; rate runs send on schedule and record the ack latency from the intended send time
 * (no coordinated omission) in an HdrHistogram.
 */
final class SluiceProducerHarness implements AutoCloseable {
    private final Vertx vertx;
    private final Context driver;
    private final List<JsonObject> pool;
    private final List<Buffer> encodedPool;
    private final DeliveryOptions opts = new DeliveryOptions().setSendTimeout(120_000);

    /** Outcome of a run. */
    record Result(
            long sent, long accepted, long failed, String firstFailure, long elapsedNanos, Histogram latencyMicros) {
        double recordsPerSec() {
            return accepted * 1e9 / elapsedNanos;
        }
    }

    private SluiceProducerHarness(Vertx vertx, List<JsonObject> pool) {
        this.vertx = vertx;
        this.driver = vertx.getOrCreateContext();
        this.pool = pool;
        this.encodedPool = pool.stream().map(JsonObject::toBuffer).toList(); // as the baseline tool's payload file
    }

    /**
     * Deploys the producer verticle for {@code topic} with {@code kafkaProps} (the same properties the
     * baseline tool gets).
     */
    static SluiceProducerHarness start(
            String bootstrap, String topic, Map<String, String> kafkaProps, List<JsonObject> pool) throws Exception {
        JsonObject conf = new JsonObject()
                .put("routing", new JsonObject().put("defaultTopic", topic))
                .put("kafka", new JsonObject(new HashMap<>(kafkaProps)));
        ProducerSettings settings = ProducerSettings.from(new Cfg(conf, "producer"));
        Map<String, Object> props = new HashMap<>(settings.kafka());
        props.put("bootstrap.servers", bootstrap);
        props.put("client.id", "sluice-loadtest-producer");
        AsyncProducer producer = new AsyncProducer(
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()),
                "sluice-producer-send");
        Vertx vertx = Vertx.vertx();
        SluiceProducerHarness h = new SluiceProducerHarness(vertx, pool);
        vertx.deployVerticle(
                        new ProducerVerticle(settings, producer, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        return h;
    }

    /**
     * Sends {@code n} events as fast as answers come back, at most {@code window} outstanding, in
     * {@code sluice.produce.batch} requests of {@code batchSize} events (at least 1), each event as its JSON bytes (encoded once up front, as the baseline tool reads its payload file; the
     * producer still validates every event).
     */
    Result throughput(long n, int window, int batchSize) throws Exception {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        Promise<Result> done = Promise.promise();
        driver.runOnContext(v -> new Object() {
            long sent;
            long answered;
            long accepted;
            long failed;
            String firstFailure;
            final long start = System.nanoTime();

            void pump() {
                while (sent < n && sent - answered + batchSize <= Math.max(window, batchSize)) {
                    int size = (int) Math.min(batchSize, n - sent);
                    List<Buffer> events = new ArrayList<>(size);
                    for (int i = 0; i < size; i++) {
                        events.add(encodedPool.get((int) ((sent + i) % encodedPool.size())));
                    }
                    sent += size;
                    vertx.eventBus()
                            .<ProduceBatchReply>request(Addresses.PRODUCE_BATCH, new ProduceBatch(events), opts)
                            .onComplete(ar -> {
                                answered += size;
                                if (ar.succeeded()) {
                                    for (ProduceResult r : ar.result().body().results()) {
                                        if (r.isAccepted()) {
                                            accepted++;
                                        } else {
                                            fail(r.error());
                                        }
                                    }
                                } else {
                                    for (int i = 0; i < size; i++) {
                                        fail(ar.cause().getMessage());
                                    }
                                }
                                if (answered == n) {
                                    done.complete(new Result(
                                            sent, accepted, failed, firstFailure, System.nanoTime() - start, null));
                                } else {
                                    pump();
                                }
                            });
                }
            }

            void fail(String message) {
                failed++;
                if (firstFailure == null) {
                    firstFailure = message;
                }
            }
        }.pump());
        return await(done.future(), 3_600);
    }

    /**
     * Sends at {@code rate} events/s for {@code warmupSeconds} (not recorded) then {@code seconds}
     * (recorded); latency = ack time − scheduled send time.
     */
    Result atRate(double rate, int warmupSeconds, int seconds) throws Exception {
        Promise<Result> done = Promise.promise();
        long warmupN = (long) (rate * warmupSeconds);
        long total = warmupN + (long) (rate * seconds);
        double intervalNanos = 1e9 / rate;
        driver.runOnContext(v -> new Object() {
            final Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
            final long start = System.nanoTime();
            long sent;
            long answered;
            long accepted;
            long failed;
            String firstFailure;
            long recordedStart;
            long timer;

            void begin() {
                timer = vertx.setPeriodic(1, id -> tick());
            }

            void tick() {
                long due = Math.min(total, (long) ((System.nanoTime() - start) / intervalNanos) + 1);
                while (sent < due) {
                    long i = sent++;
                    long scheduled = start + (long) (i * intervalNanos);
                    if (i == warmupN) {
                        recordedStart = scheduled;
                    }
                    vertx.eventBus()
                            .request(Addresses.PRODUCE, pool.get((int) (i % pool.size())), opts)
                            .onComplete(ar -> {
                                answered++;
                                if (ar.succeeded()) {
                                    accepted++;
                                    if (i >= warmupN) {
                                        h.recordValue(Math.max(0, (System.nanoTime() - scheduled) / 1000));
                                    }
                                } else {
                                    failed++;
                                    if (firstFailure == null) {
                                        firstFailure = ar.cause().getMessage();
                                    }
                                }
                                if (answered == total) {
                                    done.complete(new Result(
                                            total - warmupN,
                                            accepted,
                                            failed,
                                            firstFailure,
                                            System.nanoTime() - recordedStart,
                                            h));
                                }
                            });
                }
                if (sent == total) {
                    vertx.cancelTimer(timer);
                }
            }
        }.begin());
        return await(done.future(), warmupSeconds + seconds + 180L);
    }

    private static <T> T await(Future<T> f, long seconds) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        vertx.close()
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS); // undeploy = producer flush + close
    }
}
