package io.sluice.loadtest.scenario;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.embedded.EmbeddedKafkaOptions;
import io.sluice.kafka.KafkaSettings;
import io.sluice.kafka.Topics;
import io.sluice.launcher.Sluice;
import io.sluice.launcher.SluiceConfig;
import io.sluice.loadtest.RunOptions;
import io.sluice.loadtest.Scenario;
import io.sluice.loadtest.report.Report;
import io.sluice.loadtest.report.ResourceSampler;
import io.sluice.locallambda.LocalLambdaOptions;
import io.sluice.locallambda.LocalLambdaServer;
import io.sluice.locallambda.SinkStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed's incident: the function's latency rises to 950 ms (fixed, {@code --lambda-latency-ms}) under
 * 13,000 msg/s of 80/20-keyed input (12 partitions, {@code --rate}; keys {@code 400:T-n}, 20% of 5,000 trucks send
 * 80% of the events). Runs {@code partition} ordering (one
 * batch in flight per partition, what an event source mapping does) and then {@code key} ordering (8 lanes per
 * partition), each for {@code --duration} seconds on a fresh topic and group, or only the one named by
 * {@code --ordering}. Measures the delivered rate at the sink and the consumer group's lag (Admin) every
 * second; lag is "flat" when its least-squares slope over the second half is under 2% of the input rate.
 *
 * <p>Everything runs in this process: the embedded broker (child JVM), the local Lambda endpoint and sink,
 * Sluice ({@link Sluice} with a config built here: one pipeline, no producer, no admin), and a raw
 * {@link KafkaProducer} pacing the input (so the input rate does not depend on the Sluice producer path).
 */
public final class SlowLambdaScenario implements Scenario {
    public static final String NAME = "slow-lambda";
    private static final Logger LOG = LoggerFactory.getLogger(SlowLambdaScenario.class);
    private static final double DEFAULT_RATE = 13_000;
    private static final long DEFAULT_LATENCY_MS = 950;
    private static final int PARTITIONS = 12;
    private static final int LANES = 8;
    private static final int CONCURRENCY = PARTITIONS * LANES + 32;
    private static final int TRUCKS = 5_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "fixed Lambda latency (--lambda-latency-ms, default 950) at --rate (default 13000/s) Pareto input, "
                + "12 partitions: partition vs key ordering (--ordering for one), delivered rate and lag";
    }

    /** What one ordering mode achieved. */
    record ModeResult(String ordering, double producedPerSecond, double deliveredPerSecond, long lagStart, long lagEnd,
                      long lagMax, double lagSlopePerSecond, boolean lagFlat, long produced, long delivered,
                      long duplicates, long orderViolations) {
        JsonObject toJson() {
            return new JsonObject().put("ordering", ordering)
                    .put("producedPerSecond", Report.round(producedPerSecond, 1))
                    .put("deliveredPerSecond", Report.round(deliveredPerSecond, 1))
                    .put("lagStartRecords", lagStart).put("lagEndRecords", lagEnd).put("lagMaxRecords", lagMax)
                    .put("lagSlopeRecordsPerSecond", Report.round(lagSlopePerSecond, 1)).put("lagFlat", lagFlat)
                    .put("produced", produced).put("deliveredUnique", delivered).put("duplicates", duplicates)
                    .put("orderViolations", orderViolations);
        }
    }

    @Override
    public void run(RunOptions options, Report report) throws Exception {
        double rate = options.rateOr(DEFAULT_RATE);
        long latencyMs = options.lambdaLatencyMs() == null ? DEFAULT_LATENCY_MS : options.lambdaLatencyMs();
        List<String> modes = options.ordering() == null ? List.of("partition", "key") : List.of(options.ordering());
        report.targetRate(rate);
        report.extra("lambdaLatencyMs", latencyMs);
        report.extra("partitions", PARTITIONS);
        report.extra("lanes", LANES);
        report.extra("keys", "80/20: 20% of " + TRUCKS + " trucks send 80% of the events, uniform within each group");
        List<ModeResult> results = new ArrayList<>();
        EmbeddedKafkaOptions brokerOptions = EmbeddedKafkaOptions.builder().heap("512m", "1g").build();
        Vertx vertx = Vertx.vertx();
        try (ResourceSampler resources = ResourceSampler.start();
             EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(brokerOptions)) {
            LocalLambdaServer lambda = LocalLambdaServer.start(vertx, LocalLambdaOptions.defaults()
                    .withDispatcherFunctionName("dispatcher").withConcurrency(CONCURRENCY))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            lambda.faults("dispatcher").latencyMs(latencyMs);
            try {
                for (String mode : modes) {
                    lambda.sink().reset();
                    results.add(runMode(vertx, cluster.bootstrapServers(), lambda, mode, rate, options.durationSeconds()));
                }
            } finally {
                lambda.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            report.memory(resources.peakHeapMb(), resources.peakRssMb());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }

        JsonArray arr = new JsonArray();
        results.forEach(r -> arr.add(r.toJson()));
        report.extra("modes", arr);
        ModeResult key = results.stream().filter(r -> r.ordering().equals("key")).findFirst().orElse(null);
        ModeResult part = results.stream().filter(r -> r.ordering().equals("partition")).findFirst().orElse(null);
        ModeResult main = key != null ? key : part;
        report.producedAccepted(main.produced()).deliveredUnique(main.delivered()).duplicates(main.duplicates())
                .orderViolations(main.orderViolations()).deliveredPerSecond(Report.round(main.deliveredPerSecond(), 1))
                .lagMax(main.lagMax(), null);
        if (key != null && part != null) {
            double ratio = part.deliveredPerSecond() <= 0 ? 0 : key.deliveredPerSecond() / part.deliveredPerSecond();
            report.extra("ratioKeyToPartition", Report.round(ratio, 2));
        }
        if (key != null) {
            report.check("key ordering sustains the input rate", key.deliveredPerSecond() >= 0.95 * key.producedPerSecond(),
                    String.format("delivered %.0f/s vs produced %.0f/s", key.deliveredPerSecond(), key.producedPerSecond()));
            report.check("key ordering lag stays flat", key.lagFlat(),
                    String.format("lag slope %.0f records/s over the second half (end %d)", key.lagSlopePerSecond(), key.lagEnd()));
            report.check("key ordering keeps per-key order", key.orderViolations() == 0, key.orderViolations() + " violations");
        }
        if (part != null) {
            report.check("partition ordering keeps per-key order", part.orderViolations() == 0, part.orderViolations() + " violations");
        }
        report.check("input reached the target rate", main.producedPerSecond() >= 0.95 * rate,
                String.format("produced %.0f/s, target %.0f/s", main.producedPerSecond(), rate));
    }

    private ModeResult runMode(Vertx vertx, String bootstrap, LocalLambdaServer lambda, String mode, double rate,
                               int seconds) throws Exception {
        String topic = "slow-" + mode;
        String group = "sluice-slow-" + mode;
        Map<String, Object> adminProps = Map.of("bootstrap.servers", bootstrap);
        // Topics.create waits until every new partition's leader serves (an idempotent producer meeting
        // NOT_LEADER_OR_FOLLOWER on a brand-new partition can otherwise retry forever, KAFKA-15591)
        Topics.create(new KafkaSettings(bootstrap, Map.of(), List.of(), false), List.of(
                new KafkaSettings.TopicSpec(topic, PARTITIONS, (short) 1), new KafkaSettings.TopicSpec(topic + "-dlq", 1, (short) 1)));
        try (Admin admin = Admin.create(adminProps)) {
            Sluice sluice = new Sluice(vertx, SluiceConfig.fromJson(config(bootstrap, lambda.endpoint(), topic, group, mode)),
                    new SimpleMeterRegistry());
            sluice.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            SinkStore sink = lambda.sink();
            List<long[]> samples = new ArrayList<>(); // {t ms, produced, delivered, lag}
            try (Pacer pacer = new Pacer(bootstrap, topic, rate)) {
                long start = System.currentTimeMillis();
                long end = start + seconds * 1000L;
                long next = start;
                while (System.currentTimeMillis() < end) {
                    next += 1000;
                    long wait = next - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait); // the benchmark's own sampling clock (not a test)
                    }
                    long lag = lag(admin, topic, group);
                    samples.add(new long[]{System.currentTimeMillis() - start, pacer.acked.get(), sink.uniqueCount(), lag});
                    if (samples.size() % 10 == 0) {
                        LOG.info("slow-lambda {}: t={}s produced={} delivered={} lag={}", mode, samples.size(),
                                pacer.acked.get(), sink.uniqueCount(), lag);
                    }
                }
            } finally {
                sluice.stop().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            }
            return summarize(mode, samples, rate, sink);
        }
    }

    private static ModeResult summarize(String mode, List<long[]> s, double rate, SinkStore sink) {
        int n = s.size();
        int half = n / 2;
        long[] first = s.get(half);
        long[] last = s.get(n - 1);
        double secs = (last[0] - first[0]) / 1000.0;
        double produced = (last[1] - first[1]) / secs;
        double delivered = (last[2] - first[2]) / secs;
        // least-squares slope of lag over the second half
        double mt = 0;
        double ml = 0;
        for (int i = half; i < n; i++) {
            mt += s.get(i)[0] / 1000.0;
            ml += s.get(i)[3];
        }
        int m = n - half;
        mt /= m;
        ml /= m;
        double num = 0;
        double den = 0;
        long lagMax = 0;
        for (int i = 0; i < n; i++) {
            lagMax = Math.max(lagMax, s.get(i)[3]);
        }
        for (int i = half; i < n; i++) {
            double dt = s.get(i)[0] / 1000.0 - mt;
            num += dt * (s.get(i)[3] - ml);
            den += dt * dt;
        }
        double slope = den == 0 ? 0 : num / den;
        boolean flat = slope < 0.02 * rate;
        ModeResult r = new ModeResult(mode, produced, delivered, first[3], last[3], lagMax, slope, flat, last[1],
                sink.uniqueCount(), sink.duplicates(), sink.orderViolations());
        LOG.info("slow-lambda {}: {}", mode, r.toJson().encode());
        return r;
    }

    private static long lag(Admin admin, String topic, String group) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        long total = 0;
        for (var e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            total += e.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return total;
    }

    static JsonObject config(String bootstrap, String endpoint, String topic, String group, String mode) {
        return new JsonObject()
                .put("kafka", new JsonObject().put("bootstrapServers", bootstrap))
                .put("producer", new JsonObject().put("enabled", false)
                        .put("routing", new JsonObject().put("defaultTopic", topic)))
                .put("generator", new JsonObject().put("enabled", false))
                .put("status", new JsonObject().put("intervalMs", 10_000))
                .put("pipelines", new JsonArray().add(new JsonObject()
                        .put("name", "slow-" + mode).put("topics", new JsonArray().add(topic)).put("groupId", group)
                        .put("ordering", mode).put("lanes", LANES)
                        .put("batch", new JsonObject().put("maxRecords", 500).put("lingerMs", 1000))
                        .put("inFlight", new JsonObject().put("maxRecords", 200_000).put("maxBytes", 256L * 1024 * 1024))
                        .put("lambda", new JsonObject().put("functionName", "dispatcher").put("endpointOverride", endpoint)
                                .put("maxConcurrency", PARTITIONS * LANES))
                        .put("dlqTopic", topic + "-dlq")));
    }

    /** The input: 80/20-keyed 200-byte telemetry events at a fixed rate (a tick every 10 ms) from a raw producer. */
    private static final class Pacer implements AutoCloseable {
        final AtomicLong acked = new AtomicLong();
        private final KafkaProducer<byte[], byte[]> producer;
        private final Thread thread;
        private volatile boolean running = true;

        Pacer(String bootstrap, String topic, double rate) {
            Map<String, Object> props = new HashMap<>();
            props.put("bootstrap.servers", bootstrap);
            props.put("acks", "all");
            props.put("enable.idempotence", "true");
            props.put("linger.ms", "5");
            props.put("batch.size", "65536");
            props.put("compression.type", "lz4");
            producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
            Random rnd = new Random(7);
            Map<Integer, Long> seq = new HashMap<>();
            String pad = "x".repeat(60);
            thread = new Thread(() -> {
                long start = System.nanoTime();
                long sent = 0;
                while (running) {
                    long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
                    while (sent < due && running) {
                        int t = nextTruck(rnd);
                        long s = seq.merge(t, 1L, Long::sum);
                        String truck = "T-" + t;
                        String json = "{\"eventId\":\"e-" + topic + "-" + sent + "\",\"code\":400,\"truckId\":\"" + truck
                                + "\",\"timestamp\":" + System.currentTimeMillis() + ",\"seq\":" + s
                                + ",\"speedKmh\":72.5,\"lat\":-23.5505,\"lon\":-46.6333,\"pad\":\"" + pad + "\"}";
                        producer.send(new ProducerRecord<>(topic, ("400:" + truck).getBytes(StandardCharsets.UTF_8),
                                json.getBytes(StandardCharsets.UTF_8)), (md, err) -> {
                                    if (err == null) {
                                        acked.incrementAndGet();
                                    }
                                });
                        sent++;
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "slow-lambda-pacer");
            thread.start();
        }

        /**
         * 80/20 over {@link #TRUCKS} trucks: 80% of the events from the hot 20% (uniform among them), 20% from
         * the others; the hottest key gets 0.08% of the input (≈ 10 msg/s at 13,000/s).
         */
        static int nextTruck(Random rnd) {
            int hot = TRUCKS / 5;
            return rnd.nextDouble() < 0.8 ? rnd.nextInt(hot) : hot + rnd.nextInt(TRUCKS - hot);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(10_000);
            producer.close(Duration.ofSeconds(30));
        }
    }
}
