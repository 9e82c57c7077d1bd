package io.sluice.loadtest.run;

import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.embedded.EmbeddedKafkaOptions;
import io.sluice.kafka.KafkaSettings;
import io.sluice.kafka.Topics;
import io.sluice.loadtest.RunOptions;
import io.sluice.loadtest.report.KeyLatencySplit;
import io.sluice.loadtest.report.LatencySummary;
import io.sluice.loadtest.report.Report;
import io.sluice.locallambda.FaultInjection;
import io.sluice.locallambda.LocalLambdaOptions;
import io.sluice.locallambda.LocalLambdaServer;
import io.sluice.locallambda.SinkStats;
import io.sluice.locallambda.SinkStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end-to-end run: the embedded Kafka cluster (1 or 3 brokers, child JVMs), the local Lambda endpoint
 * with the dispatcher function and the accounting sink (in this JVM), {@code n} Sluice processes (child JVMs,
 * one pipeline each, same group), and the {@link InputPacer}. Every second it samples the timeline and runs
 * the spec's drivers (faults, rate steps); after the load it waits (bounded) until the group has committed
 * to the end, stops Sluice gracefully, reads the DLQ, and accounts for every acknowledged event id: at the
 * sink, in the DLQ, or lost. Everything started is stopped before {@link #run} returns.
 */
public final class PipelineRun implements RunContext {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRun.class);
    private static final String FUNCTION = "dispatcher";
    /** At most this many ids are reserved in the sink up front (8 M slots, 160 MB); a larger run grows as it goes. */
    private static final long MAX_RESERVED_IDS = 6_000_000L;

    /**
     * What the run found; scenarios add their own checks from it. {@code keySplit} is the latency of the hot key
     * and of the other keys apart, when the spec has a hot key ({@link RunSpec#hotKeyShare}), else null.
     */
    public record Outcome(
            long accepted,
            long deliveredUnique,
            long duplicates,
            long inDlq,
            long lost,
            long inBoth,
            List<String> lostSample,
            Set<String> dlqIds,
            Map<String, Long> dlqErrorClasses,
            long poisonAccepted,
            long poisonInDlq,
            long inputFailed,
            String inputFirstFailure,
            boolean drained,
            double drainSeconds,
            long orderViolations,
            long invocations,
            LatencySummary latency,
            Timeline timeline,
            Map<String, Integer> exitCodes,
            KeyLatencySplit keySplit) {

        /** Lambda invocations per million delivered events, or null when nothing was delivered. */
        public Double invocationsPerMillion() {
            return deliveredUnique == 0 ? null : Report.round(invocations * 1e6 / deliveredUnique, 1);
        }
    }

    private final RunSpec spec;
    private final Path dir;
    private final String topic;
    private final String dlqTopic;
    private final String group;
    private final Timeline timeline = new Timeline();
    private final List<SluiceProcess> processes = new ArrayList<>();
    private EmbeddedKafkaCluster cluster;
    private Vertx vertx;
    private LocalLambdaServer lambda;
    private Admin admin;
    private InputPacer input;
    private OtlpSink otlp;
    private long loadStartNanos;
    private final java.util.concurrent.ExecutorService backgroundLane =
            java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "loadtest-background");
                t.setDaemon(true);
                return t;
            });
    private final List<java.util.concurrent.Future<?>> backgroundTasks = new ArrayList<>();
    private long maxLagRecords;
    /** The first event number of the measured load (after the warm-up). */
    private int firstMeasured = 1;

    private JsonObject warmup;
    private JsonObject cpu;
    private JsonObject cpuWindow;
    private Double maxLagSeconds;

    PipelineRun(RunSpec spec, Path dir) { // package-private for PipelineRunTest (pipelineJson)
        this.spec = spec;
        this.dir = dir;
        this.topic = "lt-" + spec.name;
        this.dlqTopic = topic + "-dlq";
        this.group = "sluice-" + topic;
    }

    /** Runs {@code spec}, fills the common fields and checks of {@code report}, and returns the outcome. */
    public static Outcome run(RunSpec spec, RunOptions options, Report report) throws Exception {
        PipelineRun run = new PipelineRun(spec, options.out());
        try {
            Outcome o = run.execute();
            run.fill(report, o);
            if (spec.consumerPerfBaseline) {
                run.consumerBaseline(report, o);
            }
            return o;
        } finally {
            run.shutdown();
        }
    }

    private Outcome execute() throws Exception {
        boolean replicated = spec.brokers >= 3;
        EmbeddedKafkaOptions.Builder b = EmbeddedKafkaOptions.builder()
                .nodes(spec.brokers)
                .logLevel("WARN")
                .heap("256m", spec.brokers >= 3 ? "768m" : "1g")
                .closeOnJvmExit(true)
                .logDirectory(dir.resolve("broker-logs"));
        if (replicated) {
            b.brokerProperty("min.insync.replicas", "2").brokerProperty("default.replication.factor", "3");
        }
        LOG.info("{}: starting {} broker(s)", spec.name, spec.brokers);
        cluster = EmbeddedKafkaCluster.start(b.build());
        String bootstrap = cluster.bootstrapServers();
        Topics.create(
                new KafkaSettings(bootstrap, Map.of(), List.of(), false),
                List.of(
                        new KafkaSettings.TopicSpec(topic, spec.partitions, spec.replication),
                        new KafkaSettings.TopicSpec(dlqTopic, 2, spec.replication)));
        admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap));

        vertx = Vertx.vertx();
        int concurrency = 256;
        // the function's own LRU dedupe is off unless the spec names a store: the sink then counts every redelivery
        LocalLambdaOptions lambdaOptions = LocalLambdaOptions.defaults()
                .withDispatcherFunctionName(FUNCTION)
                .withConcurrency(concurrency)
                .withDedupeCapacity(0);
        if (spec.dedupe != null) {
            lambdaOptions = lambdaOptions.withDedupe(spec.dedupe); // dynamodb: the endpoint starts dynalite
        }
        lambda = LocalLambdaServer.start(vertx, lambdaOptions)
                .toCompletionStage()
                .toCompletableFuture()
                .get(90, TimeUnit.SECONDS);
        FaultInjection faults = lambda.faults(FUNCTION);
        if (spec.lambdaLatencyMs > 0) {
            faults.latencyMs(spec.lambdaLatencyMs);
        }
        faults.errorRate(spec.errorRate).throttleRate(spec.throttleRate);
        // the ids planned (warm-up at half the rate, then the load): the sink then never grows its id set mid-run,
        // a rehash of every id so far that stalls the sink's answers for tens of ms at millions of ids
        lambda.sink().reserve(Math.min(MAX_RESERVED_IDS, (long)
                (spec.rate * (spec.warmupSeconds() / 2.0 + spec.loadSeconds) * 1.05)));

        if (spec.tracing) {
            otlp = new OtlpSink();
        }
        for (int i = 0; i < spec.processes; i++) {
            processes.add(SluiceProcess.prepare("sluice-" + (i + 1), dir, sluiceConfig(bootstrap, i), spec.jvmOptions));
        }
        for (SluiceProcess p : processes) {
            p.start();
        }
        for (SluiceProcess p : processes) {
            p.awaitReady(Duration.ofSeconds(90));
        }
        awaitAssigned(Duration.ofSeconds(90));
        LOG.info(
                "{}: {} Sluice process(es) ready; load {} events/s for {} s",
                spec.name,
                processes.size(),
                spec.rate,
                spec.loadSeconds);

        String prefix = "lt" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        input = new InputPacer(
                bootstrap,
                topic,
                prefix,
                spec.rate / 2,
                spec.poisonEvery,
                spec.keyDraw(),
                spec.hotKeyShare != null,
                spec.inputProducerProps);
        input.traceparents(spec.tracing);
        warmUp();
        loadStartNanos = System.nanoTime();
        CpuWindow.Snapshot cpuStart = cpuSnapshot();
        long ackedAtStart = input.acceptedCount();
        input.rate(spec.rate);
        List<CpuWindow.Mark> cpuMarks = new ArrayList<>();
        cpuMarks.add(new CpuWindow.Mark(0, cpuStart, ackedAtStart));
        for (int second = 1; second <= spec.loadSeconds; second++) {
            sleepUntil(second);
            sample();
            boolean go = true;
            for (RunSpec.Driver d : spec.drivers) {
                go &= d.onSecond(this, second);
            }
            if (!go) {
                break;
            }
            if (second % CpuWindow.SLICE_SECONDS == 0 && second < spec.loadSeconds) {
                cpuMarks.add(new CpuWindow.Mark(second, cpuSnapshot(), input.acceptedCount()));
            }
        }
        CpuWindow.Snapshot cpuEnd = cpuSnapshot();
        long ackedAtEnd = input.acceptedCount();
        cpuMarks.add(new CpuWindow.Mark((int) Math.round(elapsedSeconds()), cpuEnd, ackedAtEnd));
        cpuWindow = CpuWindow.between(cpuStart, cpuEnd, ackedAtEnd - ackedAtStart, elapsedSeconds())
                .put("slices", CpuWindow.slices(cpuMarks));
        input.stop();
        mark("load stopped");
        for (java.util.concurrent.Future<?> f : backgroundTasks) {
            f.get(300, TimeUnit.SECONDS); // a failed background step fails the run
        }
        LOG.info(
                "{}: load stopped after {} events ({} acknowledged, {} failed); draining",
                spec.name,
                input.sent(),
                input.acceptedCount(),
                input.failedCount());

        long accepted = input.acceptedCount();
        long drainStart = System.nanoTime();
        long drainDeadline = drainStart + spec.drainTimeout.toNanos();
        int settled = 0;
        int second = (int) Math.ceil(elapsedSeconds());
        while (System.nanoTime() < drainDeadline && settled < 2) {
            sleepUntil(++second);
            Timeline.Sample s = sample();
            long dlqRecords = endOffsets(dlqTopic).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            boolean done = s.lagRecords() != null && s.lagRecords() == 0 && s.delivered() + dlqRecords >= accepted;
            settled = done ? settled + 1 : 0;
        }
        boolean drained = settled >= 2;
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        mark(drained ? "drained" : "drain timed out");

        Map<String, Integer> exits = new TreeMap<>();
        for (SluiceProcess p : processes) {
            if (p.isAlive()) {
                exits.put(p.name(), p.stop(Duration.ofSeconds(60)));
            }
        }
        cpu = cpuUse();
        Map<String, Long> classes = new TreeMap<>();
        Set<String> dlqIds = readDlq(classes);
        return account(dlqIds, classes, drained, drainSeconds, exits);
    }

    /**
     * The warm-up, before the measured load: the input at half the rate for {@link RunSpec#warmupSeconds}, then
     * paused until the sink has every acknowledged event (bounded), so that the JVMs' JIT, the connections and
     * the group are warm; its events are accounted like any other, its latencies are not measured.
     */
    private void warmUp() throws InterruptedException {
        long start = System.nanoTime();
        TimeUnit.SECONDS.sleep(spec.warmupSeconds()); // the runner's own clock, not an event loop
        input.rate(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline
                && (lambda.sink().uniqueCount()
                                < input.acceptedCount() - input.poison().cardinality()
                        || input.acceptedCount() + input.failedCount() < input.sent())) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        lambda.sink().resetLatency();
        firstMeasured = (int) input.sent() + 1;
        warmup = new JsonObject()
                .put("seconds", spec.warmupSeconds())
                .put("rate", spec.rate / 2)
                .put("events", input.acceptedCount())
                .put("totalSeconds", Report.round((System.nanoTime() - start) / 1e9, 1));
        LOG.info("{}: warm-up done: {}", spec.name, warmup.encode());
    }

    private CpuWindow.Snapshot cpuSnapshot() {
        long[] sluice = processes.stream()
                .filter(SluiceProcess::isAlive)
                .mapToLong(SluiceProcess::pid)
                .toArray();
        long[] brokers = cluster.nodeIds().stream()
                .flatMap(id -> cluster.process(id).stream())
                .mapToLong(h -> h.pid())
                .toArray();
        return CpuWindow.take(sluice, brokers);
    }

    /** CPU seconds so far of each Sluice process, the brokers (running ones) and this runner (rig: input, Lambda, sink). */
    private JsonObject cpuUse() {
        JsonObject c = new JsonObject();
        double sluice = 0;
        for (SluiceProcess p : processes) {
            sluice += p.cpuSeconds();
        }
        c.put("sluice", Report.round(sluice, 2));
        double brokers = 0;
        for (int id : cluster.nodeIds()) {
            Double s =
                    cluster.process(id).map(h -> ProcStatus.cpuSeconds(h.pid())).orElse(null);
            brokers += s == null ? 0 : s;
        }
        c.put("brokers", Report.round(brokers, 2));
        Double self = ProcStatus.cpuSeconds(-1);
        c.put("runner", self == null ? null : Report.round(self, 2));
        return c;
    }

    /** Waits until the group is stable with every input partition assigned (bounded). */
    private void awaitAssigned(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var d = admin.describeConsumerGroups(List.of(group))
                    .all()
                    .get(10, TimeUnit.SECONDS)
                    .get(group);
            int assigned = d.members().stream()
                    .mapToInt(m -> m.assignment().topicPartitions().size())
                    .sum();
            if (d.state() == org.apache.kafka.common.ConsumerGroupState.STABLE
                    && assigned == spec.partitions
                    && d.members().size() == spec.processes) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("group " + group + " not stable with " + spec.partitions
                        + " partitions over " + spec.processes + " members within " + timeout + ": " + d);
            }
            TimeUnit.MILLISECONDS.sleep(200); // start-up polling on the runner thread
        }
    }

    private Outcome account(
            Set<String> dlqIds,
            Map<String, Long> classes,
            boolean drained,
            double drainSeconds,
            Map<String, Integer> exits) {
        SinkStore sink = lambda.sink();
        BitSet acked = input.accepted();
        BitSet poison = input.poison();
        long delivered = 0;
        long inDlq = 0;
        long lost = 0;
        long both = 0;
        long poisonAccepted = 0;
        long poisonInDlq = 0;
        List<String> lostSample = new ArrayList<>();
        for (int n = acked.nextSetBit(0); n >= 0; n = acked.nextSetBit(n + 1)) {
            String id = input.id(n);
            boolean atSink = sink.contains(id);
            boolean atDlq = dlqIds.contains(id);
            if (poison.get(n)) {
                poisonAccepted++;
                poisonInDlq += atDlq ? 1 : 0;
            }
            if (atSink) {
                delivered++;
            }
            if (atDlq) {
                inDlq++;
            }
            if (atSink && atDlq) {
                both++;
            }
            if (!atSink && !atDlq) {
                lost++;
                if (lostSample.size() < 20) {
                    lostSample.add(id);
                }
            }
        }
        // what Sluice delivered twice: counted at the function when its dedupe is on, else the sink sees all of it
        long duplicates = lambda.functionDuplicates() != null ? lambda.functionDuplicates() : sink.duplicates();
        return new Outcome(
                acked.cardinality(),
                delivered,
                duplicates,
                inDlq,
                lost,
                both,
                lostSample,
                dlqIds,
                classes,
                poisonAccepted,
                poisonInDlq,
                input.failedCount(),
                input.firstFailure(),
                drained,
                drainSeconds,
                sink.orderViolations(),
                lambda.invocations(FUNCTION),
                LatencySummary.fromMillis(sink.latencyCopy()),
                timeline,
                exits,
                spec.hotKeyShare == null
                        ? null
                        : KeyLatencySplit.compute(
                                acked,
                                input.hot(),
                                poison,
                                firstMeasured,
                                input::createdAtMs,
                                n -> sink.firstArrivalMs(input.id(n))));
    }

    private void fill(Report report, Outcome o) {
        SinkStore sink = lambda.sink();
        SinkStats stats = sink.stats();
        double span = stats.firstArrivalMs() < 0 ? 0 : (stats.lastArrivalMs() - stats.firstArrivalMs()) / 1000.0;
        report.targetRate(spec.rate)
                .producedAccepted(o.accepted())
                .deliveredUnique(o.deliveredUnique())
                .duplicates(o.duplicates())
                .downstreamDuplicates(sink.duplicates())
                .dedupeStoreCallsPerMillion(
                        lambda.dedupeStore() == null || o.accepted() == 0
                                ? null
                                : Report.round(lambda.dedupeStore().requests() * 1e6 / o.accepted(), 1))
                .inDlq(o.inDlq())
                .lost(o.lost())
                .orderViolations(o.orderViolations())
                .deliveredPerSecond(span <= 0 ? null : Report.round(o.deliveredUnique() / span, 1))
                .latency(o.latency())
                .lambda(o.invocations(), o.invocationsPerMillion())
                .lagMax(maxLagRecords, maxLagSeconds == null ? null : Report.round(maxLagSeconds, 3));
        double heap = 0;
        double rss = 0;
        JsonArray procs = new JsonArray();
        for (SluiceProcess p : processes) {
            heap = Math.max(heap, p.peakHeapMb());
            rss = Math.max(rss, p.peakRssMb());
            procs.add(new JsonObject()
                    .put("name", p.name())
                    .put("starts", p.starts())
                    .put("peakHeapMb", Report.round(p.peakHeapMb(), 1))
                    .put("peakRssMb", Report.round(p.peakRssMb(), 1)));
        }
        report.memory(Report.round(heap, 1), Report.round(rss, 1));
        report.extra("timeline", timeline.toJson());
        report.extra("events", timeline.eventsJson());
        report.extra("sluiceProcesses", procs);
        report.extra("warmup", warmup);
        if (otlp != null) {
            report.extra(
                    "otlp", new JsonObject().put("requests", otlp.requests()).put("bytes", otlp.bytes()));
        }
        if (cpu != null && o.accepted() > 0) {
            JsonObject perRecord = new JsonObject();
            cpu.forEach(e -> perRecord.put(
                    e.getKey(),
                    e.getValue() instanceof Number n ? Report.round(n.doubleValue() * 1e6 / o.accepted(), 1) : null));
            report.extra(
                    "cpu",
                    new JsonObject()
                            .put("seconds", cpu)
                            .put("microsPerEvent", perRecord)
                            .put(
                                    "note",
                                    "CPU time (user + system) of each process over the whole run, warm-up and drain included; "
                                            + "per event = over every acknowledged event; window = the measured load only")
                            .put("window", cpuWindow));
        }
        report.extra(
                "setup",
                new JsonObject()
                        .put("brokers", spec.brokers)
                        .put("replicationFactor", spec.replication)
                        .put("partitions", spec.partitions)
                        .put("processes", spec.processes)
                        .put("ordering", spec.ordering)
                        .put("batchMode", spec.batchMode)
                        .put("tracing", spec.tracing)
                        .put("staticMembership", spec.staticMembership)
                        .put("lambdaLatencyMs", spec.lambdaLatencyMs)
                        .put("lambdaErrorRate", spec.errorRate)
                        .put("lambdaThrottleRate", spec.throttleRate)
                        .put("poisonEvery", spec.poisonEvery)
                        .put("trucks", spec.trucks)
                        .put("hotKeyShare", spec.hotKeyShare)
                        .put("loadSeconds", spec.loadSeconds)
                        .put(
                                "dedupe",
                                spec.dedupe == null
                                        ? "off"
                                        : spec.dedupe.mode() + (spec.dedupe.onlySuspects() ? " onlySuspects" : ""))
                        .put("pipeline", pipelineJson("<endpoint>", 0)));
        report.extra(
                "accounting",
                new JsonObject()
                        .put("inputFailed", o.inputFailed())
                        .put("inputFirstFailure", o.inputFirstFailure())
                        .put("inSinkAndDlq", o.inBoth())
                        .put("lostSample", new JsonArray(o.lostSample()))
                        .put("dlqErrorClasses", new JsonObject(new HashMap<>(o.dlqErrorClasses())))
                        .put("drainSeconds", Report.round(o.drainSeconds(), 1))
                        .put("sluiceExitCodes", new JsonObject(new HashMap<>(o.exitCodes()))));
        report.check(
                "lost = 0",
                o.lost() == 0,
                o.lost() == 0
                        ? "every one of " + o.accepted() + " acknowledged events is at the sink (" + o.deliveredUnique()
                                + ") or in the DLQ (" + o.inDlq() + ")"
                        : o.lost() + " acknowledged events are neither at the sink nor in the DLQ, e.g. "
                                + o.lostSample());
        report.check(
                "drained",
                o.drained(),
                String.format(
                        "group committed to the end %s after the load (%.1f s)",
                        o.drained() ? "within the drain timeout" : "NOT within " + spec.drainTimeout.toSeconds() + " s",
                        o.drainSeconds()));
        report.check(
                "Sluice stopped gracefully",
                o.exitCodes().values().stream().allMatch(c -> c == 0 || c == 143),
                "exit codes after SIGTERM (143 = 128 + SIGTERM once the shutdown hook ran; processes killed by the "
                        + "scenario are not listed): " + o.exitCodes());
        report.check(
                "input accepted",
                o.accepted() > 0,
                o.accepted() + " events acknowledged by Kafka, " + o.inputFailed() + " failed at the input producer"
                        + (o.inputFirstFailure() == null ? "" : " (" + o.inputFirstFailure() + ")"));
    }

    private void consumerBaseline(Report report, Outcome o) {
        try {
            ConsumerPerfTool.Result r = ConsumerPerfTool.run(cluster, topic, o.accepted(), Duration.ofMinutes(5));
            report.extra(
                    "consumerPerf",
                    new JsonObject()
                            .put("records", r.records())
                            .put("recordsPerSec", Report.round(r.recordsPerSec(), 1)));
            report.baseline(null, Report.round(r.recordsPerSec(), 1), null);
        } catch (RuntimeException e) {
            LOG.warn("ConsumerPerformance baseline failed: {}", e.toString());
            report.check("consumer baseline", false, e.toString());
        }
    }

    private JsonObject sluiceConfig(String bootstrap, int index) {
        return new JsonObject()
                .put("kafka", new JsonObject().put("bootstrapServers", bootstrap))
                .put(
                        "producer",
                        new JsonObject()
                                .put("enabled", false)
                                .put("routing", new JsonObject().put("defaultTopic", topic)))
                .put("generator", new JsonObject().put("enabled", false))
                .put("status", new JsonObject().put("intervalMs", 10_000))
                .put("pipelines", new JsonArray().add(pipelineJson(lambda.endpoint(), index)))
                .put(
                        "tracing",
                        otlp == null
                                ? new JsonObject()
                                : new JsonObject().put("enabled", true).put("endpoint", otlp.endpoint()));
    }

    /**
     * The pipeline object of the Sluice config: the run's topic, group, ordering, function and endpoint, the
     * spec's overrides merged in, and {@code batch.mode} when the spec sets one ({@link RunSpec#batchMode}; absent
     * otherwise, so the engine's default applies).
     */
    JsonObject pipelineJson(String endpoint, int index) {
        // a dead member's partitions move after the session timeout: 10 s (a common production setting) for
        // dynamic members; static members keep theirs for 45 s so a restart does not rebalance
        JsonObject kafka = new JsonObject().put("session.timeout.ms", "10000").put("heartbeat.interval.ms", "3000");
        if (spec.staticMembership) {
            kafka.put("group.instance.id", topic + "-member-" + (index + 1)).put("session.timeout.ms", "45000");
        }
        JsonObject p = new JsonObject()
                .put("name", "loadtest")
                .put("topics", new JsonArray().add(topic))
                .put("groupId", group)
                .put("ordering", spec.ordering)
                .put("dlqTopic", dlqTopic)
                .put(
                        "lambda",
                        new JsonObject()
                                .put("functionName", FUNCTION)
                                .put("endpointOverride", endpoint)
                                .put("maxConcurrency", 64))
                .put("kafka", kafka);
        p.mergeIn(spec.pipelineOverrides.copy(), true);
        if (spec.batchMode != null) {
            JsonObject batch = p.getJsonObject("batch");
            p.put("batch", (batch == null ? new JsonObject() : batch).put("mode", spec.batchMode));
        }
        return p;
    }

    private Timeline.Sample sample() {
        Long lag = null;
        try {
            lag = lagRecords();
            maxLagRecords = Math.max(maxLagRecords, lag);
        } catch (Exception e) {
            LOG.debug("lag sample failed: {}", e.toString());
        }
        Double lagSeconds = null;
        for (SluiceProcess p : processes) {
            Double s = p.lagSeconds();
            if (s != null) {
                lagSeconds = lagSeconds == null ? s : Math.max(lagSeconds, s);
            }
        }
        if (lagSeconds != null) {
            maxLagSeconds = maxLagSeconds == null ? lagSeconds : Math.max(maxLagSeconds, lagSeconds);
        }
        SinkStore sink = lambda.sink();
        SinkStats.Latency l = sink.takeIntervalLatency();
        Timeline.Sample s = new Timeline.Sample(
                elapsedSeconds(),
                input.rate(),
                input.acceptedCount(),
                sink.uniqueCount(),
                lag,
                lagSeconds,
                l.count() == 0 ? null : l.p50(),
                l.count() == 0 ? null : l.p99());
        timeline.add(s);
        if (Math.round(s.t()) % 10 == 0) {
            LOG.info(
                    "{} t={}s produced={} delivered={} lag={} lagSeconds={} p99={}ms",
                    spec.name,
                    Math.round(s.t()),
                    s.produced(),
                    s.delivered(),
                    lag,
                    lagSeconds,
                    s.p99Ms());
        }
        return s;
    }

    private long lagRecords() throws Exception {
        Map<TopicPartition, Long> ends = endOffsets(topic);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        long total = 0;
        for (var e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            total += Math.max(0, e.getValue() - (c == null ? 0 : c.offset()));
        }
        return total;
    }

    private Map<TopicPartition, Long> endOffsets(String t) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(t))
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .get(t);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        d.partitions().forEach(p -> latest.put(new TopicPartition(t, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** Reads the whole DLQ topic: the event ids (header) and the count per error class. */
    private Set<String> readDlq(Map<String, Long> classes) throws Exception {
        Map<TopicPartition, Long> ends = endOffsets(dlqTopic);
        Set<String> ids = new HashSet<>();
        Map<String, Object> props = Map.of(
                "bootstrap.servers",
                cluster.bootstrapServers(),
                "enable.auto.commit",
                "false",
                "max.poll.records",
                "5000");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(ends.keySet());
            c.seekToBeginning(ends.keySet());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ends.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the DLQ " + dlqTopic + " to its end within 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    Header id = r.headers().lastHeader(InputPacer.ID_HEADER);
                    if (id != null) {
                        ids.add(new String(id.value(), StandardCharsets.UTF_8));
                    }
                    Header cls = r.headers().lastHeader("sluice-error-class");
                    classes.merge(
                            cls == null ? "(none)" : new String(cls.value(), StandardCharsets.UTF_8), 1L, Long::sum);
                }
            }
        }
        return ids;
    }

    private void sleepUntil(int second) throws InterruptedException {
        long wait = loadStartNanos + TimeUnit.SECONDS.toNanos(second) - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait); // the runner's own one-second clock
        }
    }

    private void shutdown() {
        backgroundLane.shutdownNow();
        try {
            if (input != null) {
                input.close();
            }
        } catch (Exception e) {
            LOG.warn("closing the input: {}", e.toString());
        }
        for (SluiceProcess p : processes) {
            try {
                p.kill();
            } catch (Exception e) {
                LOG.warn("stopping {}: {}", p.name(), e.toString());
            }
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(10));
        }
        try {
            if (lambda != null) {
                lambda.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("closing the local Lambda: {}", e.toString());
        }
        if (cluster != null) {
            cluster.close();
        }
        if (otlp != null) {
            otlp.close();
        }
    }

    // ---- RunContext ----

    @Override
    public double elapsedSeconds() {
        return (System.nanoTime() - loadStartNanos) / 1e9;
    }

    @Override
    public void mark(String label) {
        double t = elapsedSeconds();
        timeline.mark(t, label);
        LOG.info("{} t={}s: {}", spec.name, String.format("%.1f", t), label);
    }

    @Override
    public void inBackground(String label, RunSpec.Action action) {
        backgroundTasks.add(backgroundLane.submit(() -> {
            action.run(this);
            mark(label + ": done");
            return null;
        }));
    }

    @Override
    public void rate(double perSecond) {
        input.rate(perSecond);
    }

    @Override
    public double rate() {
        return input.rate();
    }

    @Override
    public RunSpec spec() {
        return spec;
    }

    @Override
    public Timeline timeline() {
        return timeline;
    }

    @Override
    public EmbeddedKafkaCluster cluster() {
        return cluster;
    }

    @Override
    public Admin admin() {
        return admin;
    }

    @Override
    public String inputTopic() {
        return topic;
    }

    @Override
    public FaultInjection lambdaFaults() {
        return lambda.faults(FUNCTION);
    }

    @Override
    public List<SluiceProcess> processes() {
        return List.copyOf(processes);
    }

    @Override
    public int hotPartition() throws Exception {
        byte[] key = InputPacer.sampleHotKey().getBytes(StandardCharsets.UTF_8);
        int partitions = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .size();
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    @Override
    public int leaderOf(int partition) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .get(topic);
        return d.partitions().get(partition).leader().id();
    }

    @Override
    public void increasePartitions(int total) throws Exception {
        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(total)))
                .all()
                .get(30, TimeUnit.SECONDS);
        Topics.awaitLeaders(admin, List.of(topic), 30_000);
    }
}
