package io.sluice.loadtest.scenario;

import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.embedded.EmbeddedKafkaOptions;
import io.sluice.generator.EventGenerator;
import io.sluice.generator.GeneratorSettings;
import io.sluice.loadtest.RunOptions;
import io.sluice.loadtest.Scenario;
import io.sluice.loadtest.report.LatencySummary;
import io.sluice.loadtest.report.Report;
import io.sluice.producer.ProducerSettings;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code producer-baseline}: Kafka's own ProducerPerformance against the Sluice producer path on the same
 * embedded broker, same topic layout (12 partitions), same 200-byte JSON payloads (the generator's events,
 * also fed to the tool with {@code --payload-file}) and the same producer properties (the producer's
 * defaults: acks=all, idempotence, linger 5 ms, lz4, 64 KiB batches), one after the other:
 * <ol>
 *   <li>warm-up of both (100,000 records each; the tool's warm-up rate sizes the measured runs);</li>
 *   <li>throughput: the tool, then Sluice ({@code sluice.produce.batch} requests of 500 events sent as their JSON
 *       bytes, encoded once up front as the tool's payload file is; bounded window of 10,000 outstanding events),
 *       the same number of records (≈ the tool's rate × duration);</li>
 *   <li>ack latency at a steady {@code --rate} (default 13,000 msg/s) for {@code --duration} s: the tool with
 *       {@code --throughput}, then Sluice (one {@code sluice.produce} request per JSON-object event; latency from
 *       the scheduled send time, HdrHistogram).</li>
 * </ol>
 * Report: {@code baseline.*}, {@code latencyMs} = Sluice's ack latency at the steady rate, extra key
 * {@code producerAckLatencyMs} with both tools' latencies, {@code producedAccepted} = Sluice's accepted events
 * in the throughput run. Fields about consumption, Lambda and lag stay null.
 */
public final class ProducerBaselineScenario implements Scenario {
    public static final String NAME = "producer-baseline";
    private static final Logger LOG = LoggerFactory.getLogger(ProducerBaselineScenario.class);
    static final int PARTITIONS = 12;
    static final int RECORD_BYTES = 200;
    static final int WINDOW = 10_000;
    static final int BATCH = 500;
    static final double DEFAULT_RATE = 13_000;
    static final double TARGET_RATIO = 0.9;
    static final double TARGET_P99_MS = 20;
    private static final String PERF_TOPIC = "baseline-perf";
    private static final String SLUICE_TOPIC = "baseline-sluice";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Kafka ProducerPerformance vs the Sluice producer path (throughput ratio, ack latency at --rate, default 13000/s)";
    }

    @Override
    public void run(RunOptions options, Report report) throws Exception {
        double rate = options.rateOr(DEFAULT_RATE);
        int seconds = options.durationSeconds();
        report.targetRate(rate);
        Files.createDirectories(options.out());
        Map<String, String> props = new LinkedHashMap<>(ProducerSettings.defaultKafkaProperties());
        List<JsonObject> pool = payloads(10_000);
        Path payloadFile = options.out().resolve("payloads.ndjson");
        StringBuilder sb = new StringBuilder();
        pool.forEach(e -> sb.append(e.encode()).append('\n'));
        Files.writeString(payloadFile, sb, StandardCharsets.UTF_8);
        double avgBytes = pool.stream().mapToInt(e -> e.encode().length()).average().orElse(0);

        EmbeddedKafkaOptions brokerOptions = EmbeddedKafkaOptions.builder().logLevel("WARN").heap("512m", "1g").build();
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(brokerOptions)) {
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(PERF_TOPIC, PARTITIONS, (short) 1),
                        new NewTopic(SLUICE_TOPIC, PARTITIONS, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            Duration toolTimeout = Duration.ofSeconds(seconds * 6L + 180);
            try (SluiceProducerHarness sluice = SluiceProducerHarness.start(cluster.bootstrapServers(), SLUICE_TOPIC, props, pool)) {
                LOG.info("Warm-up: ProducerPerformance and Sluice, 100,000 records each ({} B JSON events)", Math.round(avgBytes));
                ProducerPerfTool.Result warm = ProducerPerfTool.run(cluster, PERF_TOPIC, 100_000, -1, payloadFile, props, toolTimeout);
                sluice.throughput(100_000, WINDOW, BATCH);
                long n = Math.max(200_000, Math.min(50_000_000, Math.round(warm.recordsPerSec() * seconds)));

                LOG.info("Throughput: {} records each, ProducerPerformance first", n);
                ProducerPerfTool.Result perf = ProducerPerfTool.run(cluster, PERF_TOPIC, n, -1, payloadFile, props, toolTimeout);
                LOG.info("ProducerPerformance: {} records/s", perf.recordsPerSec());
                SluiceProducerHarness.Result own = sluice.throughput(n, WINDOW, BATCH);
                LOG.info("Sluice: {} records/s ({} failed)", Math.round(own.recordsPerSec()), own.failed());
                report.baseline(Report.round(perf.recordsPerSec(), 1), null, Report.round(own.recordsPerSec(), 1));
                report.producedAccepted(own.accepted());
                report.check("sluice-all-accepted", own.failed() == 0, own.accepted() + " of " + n + " accepted"
                        + (own.firstFailure() == null ? "" : "; first failure: " + own.firstFailure()));
                report.check("producer-ratio", report.producerRatio() >= TARGET_RATIO, String.format(
                        "Sluice %.0f records/s vs ProducerPerformance %.0f records/s = %.3f (target >= %.2f); %d records of ~%d B, "
                                + "%d partitions, %s", own.recordsPerSec(), perf.recordsPerSec(), report.producerRatio(), TARGET_RATIO,
                        n, Math.round(avgBytes), PARTITIONS, propsLine(props)));

                LOG.info("Ack latency at {} msg/s for {} s: ProducerPerformance, then Sluice", rate, seconds);
                ProducerPerfTool.Result perfAt = ProducerPerfTool.run(cluster, PERF_TOPIC, Math.round(rate * seconds), rate,
                        payloadFile, props, toolTimeout);
                SluiceProducerHarness.Result at = sluice.atRate(rate, Math.min(5, seconds), seconds);
                LatencySummary lat = LatencySummary.fromMicros(at.latencyMicros());
                report.latency(lat);
                JsonObject both = new JsonObject().put("rate", rate).put("seconds", seconds)
                        .put("sluice", lat.toJson().put("count", lat.count()).put("failed", at.failed()))
                        .put("producerPerf", new JsonObject().put("p50", perfAt.p50Ms()).put("p95", perfAt.p95Ms())
                                .put("p99", perfAt.p99Ms()).put("p999", perfAt.p999Ms()).put("max", perfAt.maxMs())
                                .put("avg", perfAt.avgMs()).put("recordsPerSec", perfAt.recordsPerSec()));
                report.extra("producerAckLatencyMs", both);
                report.check("ack-latency-p99", lat.p99() <= TARGET_P99_MS && at.failed() == 0, String.format(
                        "latencyMs is Sluice's ack latency (scheduled send -> accepted reply, via the event bus) at a steady %.0f msg/s "
                                + "over %d s: p50 %.2f ms, p99 %.2f ms (target <= %.0f ms), %d failed; ProducerPerformance at the same "
                                + "rate: p50 %d ms, p99 %d ms", rate, seconds, lat.p50(), lat.p99(), TARGET_P99_MS, at.failed(),
                        perfAt.p50Ms(), perfAt.p99Ms()));
            }
        }
    }

    private static String propsLine(Map<String, String> props) {
        return "acks=" + props.get("acks") + ", enable.idempotence=" + props.get("enable.idempotence") + ", linger.ms="
                + props.get("linger.ms") + ", compression.type=" + props.get("compression.type") + ", batch.size="
                + props.get("batch.size");
    }

    /** {@code count} generator events of 200 bytes (fixed seed), the payloads of both runs. */
    static List<JsonObject> payloads(int count) {
        GeneratorSettings settings = GeneratorSettings.fromJson(new JsonObject().put("payloadBytes", RECORD_BYTES)
                .put("seed", 42L).put("eventIdPrefix", "baseline"), "generator");
        EventGenerator gen = new EventGenerator(settings, new SplittableRandom(42));
        List<JsonObject> out = new ArrayList<>(count);
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            out.add(gen.next(now + i));
        }
        return out;
    }
}
