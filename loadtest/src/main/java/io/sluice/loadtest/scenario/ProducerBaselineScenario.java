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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code producer-baseline}: Kafka's own ProducerPerformance against the Sluice producer path on the same
 * embedded broker, same topic layout (12 partitions), same 200-byte JSON payloads (the generator's events,
 * also fed to the tool with {@code --payload-file}) and the same producer properties (the producer's
 * defaults: acks=all, idempotence, linger 5 ms, lz4, 64 KiB batches), one after the other:
 * <ol>
 *   <li>warm-up: the tool on {@value #TOOL_WARMUP} records, Sluice on {@value #SLUICE_WARMUP} in two halves (Sluice
 *       runs in this JVM, so its JIT compilation is done here and not inside a measured run); the faster of the tool's
 *       steady warm-up rate and Sluice's second half × duration sizes the measured runs;</li>
 *   <li>throughput, {@value #ROUNDS} rounds, each the tool and Sluice on the same number of records one right after
 *       the other, the order alternating between rounds (Sluice: {@code sluice.produce.batch} requests of 500 events
 *       sent as their JSON bytes, encoded once up front as the tool's payload file is; bounded window of 50,000
 *       outstanding events, under the producer's default in-flight bound of 100,000; the tool's bound is its
 *       64 MiB {@code buffer.memory}). The tool starts a fresh JVM for every run, so its rate is taken over its
 *       interim 5-second windows after the first (its steady rate, the stricter baseline; its whole-run rate is
 *       reported too). The round with the median ratio is the result: the two tools in one round saw the same machine, which
 *       on a shared box moves more between minutes than between adjacent runs;</li>
 *   <li>ack latency at a steady {@code --rate} (default 13,000 msg/s) for {@code --duration} s: the tool with
 *       {@code --throughput}, then Sluice (one {@code sluice.produce} request per JSON-object event; latency from
 *       the scheduled send time, HdrHistogram).</li>
 * </ol>
 * Report: {@code baseline.*} = the median round, extra key {@code producerRounds} with every round,
 * {@code latencyMs} = Sluice's ack latency at the steady rate, extra key {@code producerAckLatencyMs} with both
 * tools' latencies, {@code producedAccepted} = Sluice's accepted events over the throughput rounds. Fields about
 * consumption, Lambda and lag stay null.
 */
public final class ProducerBaselineScenario implements Scenario {
    public static final String NAME = "producer-baseline";
    private static final Logger LOG = LoggerFactory.getLogger(ProducerBaselineScenario.class);
    static final int PARTITIONS = 12;
    static final int RECORD_BYTES = 200;
    static final int WINDOW = 50_000;
    static final int BATCH = 500;
    static final int ROUNDS = 5;
    static final long TOOL_WARMUP = 2_000_000;
    static final long SLUICE_WARMUP = 4_000_000;
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
        double avgBytes =
                pool.stream().mapToInt(e -> e.encode().length()).average().orElse(0);

        EmbeddedKafkaOptions brokerOptions = EmbeddedKafkaOptions.builder()
                .logLevel("WARN")
                .heap("512m", "1g")
                .build();
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(brokerOptions)) {
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers()))) {
                admin.createTopics(List.of(
                                new NewTopic(PERF_TOPIC, PARTITIONS, (short) 1),
                                new NewTopic(SLUICE_TOPIC, PARTITIONS, (short) 1)))
                        .all()
                        .get(60, TimeUnit.SECONDS);
            }
            Duration toolTimeout = Duration.ofSeconds(seconds * 6L + 180);
            try (SluiceProducerHarness sluice =
                    SluiceProducerHarness.start(cluster.bootstrapServers(), SLUICE_TOPIC, props, pool)) {
                LOG.info(
                        "Warm-up: ProducerPerformance {} records, Sluice {} records ({} B JSON events)",
                        TOOL_WARMUP,
                        SLUICE_WARMUP,
                        Math.round(avgBytes));
                ProducerPerfTool.Result warm =
                        ProducerPerfTool.run(cluster, PERF_TOPIC, TOOL_WARMUP, -1, payloadFile, props, toolTimeout);
                sluice.throughput(SLUICE_WARMUP / 2, WINDOW, BATCH); // Sluice's JIT compilation happens here
                SluiceProducerHarness.Result settled = sluice.throughput(SLUICE_WARMUP / 2, WINDOW, BATCH);
                // each run about --duration seconds long (at 20 s: two or three of the tool's 5 s windows past its
                // first)
                double runRate = Math.max(warm.steadyRecordsPerSec(), settled.recordsPerSec());
                long n = Math.max(200_000, Math.min(50_000_000, Math.round(runRate * seconds)));

                List<Round> rounds = new ArrayList<>();
                long failed = 0;
                String firstFailure = null;
                for (int r = 0; r < ROUNDS; r++) {
                    boolean toolFirst =
                            r % 2 == 0; // alternate the order, so a drift in the machine's load favours neither
                    LOG.info(
                            "Throughput round {} of {}: {} records each, {} first",
                            r + 1,
                            ROUNDS,
                            n,
                            toolFirst ? "ProducerPerformance" : "Sluice");
                    SluiceProducerHarness.Result own = null;
                    if (!toolFirst) {
                        own = sluice.throughput(n, WINDOW, BATCH);
                    }
                    ProducerPerfTool.Result perf =
                            ProducerPerfTool.run(cluster, PERF_TOPIC, n, -1, payloadFile, props, toolTimeout);
                    if (toolFirst) {
                        own = sluice.throughput(n, WINDOW, BATCH);
                    }
                    failed += own.failed();
                    if (firstFailure == null) {
                        firstFailure = own.firstFailure();
                    }
                    Round round = new Round(
                            r + 1, toolFirst, perf.steadyRecordsPerSec(), perf.recordsPerSec(), own.recordsPerSec());
                    LOG.info(
                            "Round {}: ProducerPerformance {} records/s steady ({} over its whole run), Sluice {} records/s, "
                                    + "ratio {} ({} failed)",
                            round.number(),
                            Math.round(round.perf()),
                            Math.round(round.perfWholeRun()),
                            Math.round(round.sluice()),
                            String.format("%.3f", round.ratio()),
                            own.failed());
                    rounds.add(round);
                }
                Round median = Round.median(rounds);
                report.baseline(Report.round(median.perf(), 1), null, Report.round(median.sluice(), 1));
                report.producedAccepted(n * ROUNDS - failed);
                report.extra("producerRounds", Round.toJson(rounds, median));
                report.check(
                        "sluice-all-accepted",
                        failed == 0,
                        (n * ROUNDS - failed) + " of " + n * ROUNDS + " accepted"
                                + (firstFailure == null ? "" : "; first failure: " + firstFailure));
                report.check(
                        "producer-ratio",
                        report.producerRatio() >= TARGET_RATIO,
                        String.format(
                                "median of %d rounds (round %d): Sluice %.0f records/s vs ProducerPerformance %.0f records/s (steady) = %.3f "
                                        + "(target >= %.2f); every round: %s; %d records of ~%d B per run, %d partitions, %s",
                                ROUNDS,
                                median.number(),
                                median.sluice(),
                                median.perf(),
                                report.producerRatio(),
                                TARGET_RATIO,
                                Round.summary(rounds),
                                n,
                                Math.round(avgBytes),
                                PARTITIONS,
                                propsLine(props)));

                LOG.info("Ack latency at {} msg/s for {} s: ProducerPerformance, then Sluice", rate, seconds);
                ProducerPerfTool.Result perfAt = ProducerPerfTool.run(
                        cluster, PERF_TOPIC, Math.round(rate * seconds), rate, payloadFile, props, toolTimeout);
                SluiceProducerHarness.Result at = sluice.atRate(rate, Math.min(5, seconds), seconds);
                LatencySummary lat = LatencySummary.fromMicros(at.latencyMicros());
                report.latency(lat);
                JsonObject both = new JsonObject()
                        .put("rate", rate)
                        .put("seconds", seconds)
                        .put("sluice", lat.toJson().put("count", lat.count()).put("failed", at.failed()))
                        .put(
                                "producerPerf",
                                new JsonObject()
                                        .put("p50", perfAt.p50Ms())
                                        .put("p95", perfAt.p95Ms())
                                        .put("p99", perfAt.p99Ms())
                                        .put("p999", perfAt.p999Ms())
                                        .put("max", perfAt.maxMs())
                                        .put("avg", perfAt.avgMs())
                                        .put("recordsPerSec", perfAt.recordsPerSec()));
                report.extra("producerAckLatencyMs", both);
                report.check(
                        "ack-latency-p99",
                        lat.p99() <= TARGET_P99_MS && at.failed() == 0,
                        String.format(
                                "latencyMs is Sluice's ack latency (scheduled send -> accepted reply, via the event bus) at a steady %.0f msg/s "
                                        + "over %d s: p50 %.2f ms, p99 %.2f ms (target <= %.0f ms), %d failed; ProducerPerformance at the same "
                                        + "rate: p50 %d ms, p99 %d ms",
                                rate,
                                seconds,
                                lat.p50(),
                                lat.p99(),
                                TARGET_P99_MS,
                                at.failed(),
                                perfAt.p50Ms(),
                                perfAt.p99Ms()));
            }
        }
    }

    /**
     * One throughput round: both tools on the same number of records, one right after the other. {@code perf} is the
     * tool's steady rate (its first 5-second window, its fresh JVM's start, left out), the baseline of the ratio;
     * {@code perfWholeRun} its rate over the whole run.
     */
    record Round(int number, boolean toolFirst, double perf, double perfWholeRun, double sluice) {
        double ratio() {
            return perf > 0 ? sluice / perf : 0;
        }

        /** The round with the median ratio (the lower middle one for an even count). */
        static Round median(List<Round> rounds) {
            if (rounds.isEmpty()) {
                throw new IllegalArgumentException("no rounds");
            }
            List<Round> sorted = new ArrayList<>(rounds);
            sorted.sort(Comparator.comparingDouble(Round::ratio));
            return sorted.get((sorted.size() - 1) / 2);
        }

        static String summary(List<Round> rounds) {
            StringBuilder sb = new StringBuilder();
            for (Round r : rounds) {
                sb.append(sb.isEmpty() ? "" : ", ")
                        .append(String.format("%.0f/%.0f = %.3f", r.sluice(), r.perf(), r.ratio()));
            }
            return sb.toString();
        }

        static JsonObject toJson(List<Round> rounds, Round median) {
            JsonArray all = new JsonArray();
            for (Round r : rounds) {
                all.add(new JsonObject()
                        .put("round", r.number())
                        .put("first", r.toolFirst() ? "producerPerf" : "sluice")
                        .put("producerPerfRecordsPerSec", Report.round(r.perf(), 1))
                        .put("producerPerfWholeRunRecordsPerSec", Report.round(r.perfWholeRun(), 1))
                        .put("sluiceProducerRecordsPerSec", Report.round(r.sluice(), 1))
                        .put("producerRatio", Report.round(r.ratio(), 4)));
            }
            return new JsonObject().put("medianRound", median.number()).put("rounds", all);
        }
    }

    private static String propsLine(Map<String, String> props) {
        return "acks=" + props.get("acks") + ", enable.idempotence=" + props.get("enable.idempotence") + ", linger.ms="
                + props.get("linger.ms") + ", compression.type=" + props.get("compression.type") + ", batch.size="
                + props.get("batch.size");
    }

    /** {@code count} generator events of 200 bytes (fixed seed), the payloads of both runs. */
    static List<JsonObject> payloads(int count) {
        GeneratorSettings settings = GeneratorSettings.fromJson(
                new JsonObject()
                        .put("payloadBytes", RECORD_BYTES)
                        .put("seed", 42L)
                        .put("eventIdPrefix", "baseline"),
                "generator");
        EventGenerator gen = new EventGenerator(settings, new SplittableRandom(42));
        List<JsonObject> out = new ArrayList<>(count);
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            out.add(gen.next(now + i));
        }
        return out;
    }
}
