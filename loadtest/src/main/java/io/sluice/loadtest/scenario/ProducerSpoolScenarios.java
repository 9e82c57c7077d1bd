package io.sluice.loadtest.scenario;

import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.embedded.EmbeddedKafkaOptions;
import io.sluice.kafka.KafkaSettings;
import io.sluice.kafka.Topics;
import io.sluice.loadtest.RunOptions;
import io.sluice.loadtest.Scenario;
import io.sluice.loadtest.report.Report;
import io.sluice.loadtest.run.SluiceProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 16's scenarios: HTTP ingest into one Sluice process (producer with its durable spool, no pipeline) at
 * 13,000 events/s for 90 s (--rate, --duration) against one embedded broker that is SIGKILLed a quarter in and
 * restarted on its data three quarters in ({@code producer-outage}); {@code producer-crash} also SIGKILLs Sluice
 * while it spools (55 % in) and starts it again on the same spool directory. Accounting by event id, from the
 * ingest answers ({@code accepted} / {@code spooled} / refused) to what the topic holds at the end.
 */
public final class ProducerSpoolScenarios implements Scenario {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerSpoolScenarios.class);
    private static final String TOPIC = "spool-load";
    private static final int PER_REQUEST = 100;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(15))
            .build();

    private final String name;
    private final boolean crash;

    private ProducerSpoolScenarios(String name, boolean crash) {
        this.name = name;
        this.crash = crash;
    }

    /** {@code producer-outage} and {@code producer-crash}. */
    public static List<Scenario> all() {
        return List.of(
                new ProducerSpoolScenarios("producer-outage", false),
                new ProducerSpoolScenarios("producer-crash", true));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return crash
                ? "HTTP ingest 13,000/s for 90 s, broker killed from 25 % to 75 %, Sluice SIGKILLed at 55 % while spooling "
                        + "and started again on its spool (it starts once the broker answers): lost 0 of what was answered spooled, duplicates"
                : "HTTP ingest 13,000/s for 90 s, broker SIGKILLed from 25 % to 75 % and restarted on its data: accepted + "
                        + "spooled >= 99 % of offered, 503 only once the spool quota is reached, lost 0, drain time";
    }

    /** Answers by event id, filled by the HTTP callbacks. */
    private static final class Ledger {
        final Set<String> accepted = ConcurrentHashMap.newKeySet();
        final Set<String> spooled = ConcurrentHashMap.newKeySet();
        final AtomicLong offered = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong overloaded = new AtomicLong();
        final AtomicLong overloadedNotQuota = new AtomicLong();
        final AtomicLong unanswered = new AtomicLong();
        final AtomicReference<Double> first503 = new AtomicReference<>();
        final AtomicLong outstanding = new AtomicLong();
        final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    }

    @Override
    public void run(RunOptions o, Report report) throws Exception {
        int seconds = o.durationOr(90);
        double rate = o.rateOr(13_000);
        Path dir = o.out().resolve(name);
        Files.createDirectories(dir);
        EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(EmbeddedKafkaOptions.builder()
                .nodes(1)
                .logLevel("WARN")
                .heap("256m", "1g")
                .closeOnJvmExit(true)
                .logDirectory(dir.resolve("broker-logs"))
                .build());
        SluiceProcess sluice = null;
        try {
            String bootstrap = cluster.bootstrapServers();
            Topics.create(
                    new KafkaSettings(bootstrap, Map.of(), List.of(), false),
                    List.of(
                            new KafkaSettings.TopicSpec(TOPIC, 6, (short) 1),
                            new KafkaSettings.TopicSpec("sluice-producer-dlq", 1, (short) 1)));
            int ingestPort = freePort();
            JsonObject conf = new JsonObject()
                    .put("kafka", new JsonObject().put("bootstrapServers", bootstrap))
                    .put(
                            "producer",
                            new JsonObject()
                                    .put("enabled", true)
                                    .put("routing", new JsonObject().put("defaultTopic", TOPIC))
                                    // memory retry: the client's own retries for 5 s, then the spool
                                    .put(
                                            "kafka",
                                            new JsonObject()
                                                    .put("delivery.timeout.ms", "5000")
                                                    .put("request.timeout.ms", "2000"))
                                    .put(
                                            "spool",
                                            new JsonObject()
                                                    .put("enabled", true)
                                                    .put(
                                                            "directory",
                                                            dir.resolve("spool").toString())
                                                    .put("drainRatePerSecond", 30_000)))
                    .put("ingest", new JsonObject().put("enabled", true).put("port", ingestPort))
                    .put("generator", new JsonObject().put("enabled", false))
                    .put("pipelines", new JsonArray());
            sluice = SluiceProcess.prepare("sluice", dir, conf, List.of("-Xmx1g"));
            sluice.start();
            sluice.awaitReady(Duration.ofSeconds(120));
            int broker = cluster.nodeIds().get(0);
            Ledger ledger = new Ledger();
            URI uri = URI.create("http://127.0.0.1:" + ingestPort + "/v1/events");
            long t0 = System.nanoTime();
            long perRequestNs = (long) (1e9 * PER_REQUEST / rate);
            long requests = (long) (rate * seconds / PER_REQUEST);
            double killAt = seconds * 0.25;
            double backAt = seconds * 0.75;
            double crashAt = seconds * 0.55; // 20 s into the outage: spooled answers have been flowing for a while
            boolean killed = false;
            boolean back = false;
            boolean crashed = false;
            AtomicReference<Double> brokerBack = new AtomicReference<>(-1.0);
            Thread brokerStart = null;
            Thread restart = null;
            SluiceProcess s = sluice;
            Random random = new Random(16);
            for (long i = 0; i < requests; i++) {
                long due = t0 + i * perRequestNs;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // pacing the offered load on the runner thread
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                if (!killed && sec >= killAt) {
                    killed = true;
                    LOG.info("{}: SIGKILL the broker at {} s", name, Math.round(sec));
                    cluster.stopNode(broker, true);
                }
                if (crash && !crashed && sec >= crashAt) {
                    crashed = true;
                    LOG.info(
                            "{}: SIGKILL Sluice at {} s (spooling), starting it again on the same spool",
                            name,
                            Math.round(sec));
                    s.kill();
                    restart = new Thread(
                            () -> {
                                // Sluice refuses to start while Kafka does not answer (30 s): start again until it
                                // stays up
                                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
                                while (System.nanoTime() < until) {
                                    try {
                                        if (!s.isAlive()) {
                                            s.start();
                                        }
                                        s.awaitReady(Duration.ofSeconds(120));
                                        LOG.info(
                                                "{}: Sluice up again at {} s (start #{})",
                                                name,
                                                Math.round((System.nanoTime() - t0) / 1e9),
                                                s.starts());
                                        return;
                                    } catch (Exception e) {
                                        LOG.info(
                                                "{}: Sluice start #{} did not stay up ({}); again",
                                                name,
                                                s.starts(),
                                                e.getMessage());
                                    }
                                }
                            },
                            "restart-sluice");
                    restart.start();
                }
                if (!back && sec >= backAt) {
                    back = true;
                    LOG.info("{}: restarting the broker on its data at {} s", name, Math.round(sec));
                    brokerStart = new Thread(
                            () -> {
                                cluster.restartNode(broker);
                                brokerBack.set((System.nanoTime() - t0) / 1e9);
                                LOG.info("{}: broker back at {} s", name, Math.round(brokerBack.get()));
                            },
                            "restart-broker");
                    brokerStart.start();
                }
                post(uri, i, random, ledger, t0);
            }
            double loadEnd = (System.nanoTime() - t0) / 1e9;
            if (brokerStart != null) {
                brokerStart.join(TimeUnit.SECONDS.toMillis(180));
            }
            double brokerBackSeconds = brokerBack.get();
            awaitAnswers(ledger, Duration.ofSeconds(60));
            if (restart != null) {
                restart.join(TimeUnit.SECONDS.toMillis(300));
            }
            double drained = awaitSpoolEmpty(sluice, Duration.ofSeconds(600), t0);
            Map<String, Integer> seen = readTopic(bootstrap);
            long lostAccepted =
                    ledger.accepted.stream().filter(id -> !seen.containsKey(id)).count();
            long lostSpooled = ledger.spooled.stream()
                    .filter(id -> !seen.containsKey(id) && !ledger.accepted.contains(id))
                    .count();
            long duplicates = seen.values().stream().mapToLong(n -> n - 1L).sum();
            long answeredOk = ledger.accepted.size()
                    + ledger.spooled.stream()
                            .filter(id -> !ledger.accepted.contains(id))
                            .count();
            long offered = ledger.offered.get();
            double share = offered == 0 ? 0 : 100.0 * answeredOk / offered;
            report.targetRate(rate)
                    .producedAccepted(answeredOk)
                    .lost(lostAccepted + lostSpooled)
                    .duplicates(duplicates)
                    .deliveredUnique((long) seen.size())
                    .memory(sluice.peakHeapMb(), sluice.peakRssMb());
            report.extra("offered", offered)
                    .extra("accepted", (long) ledger.accepted.size())
                    .extra("spooled", (long) ledger.spooled.size())
                    .extra("refused", ledger.refused.get())
                    .extra("refused503", ledger.overloaded.get())
                    .extra("refused503NotQuota", ledger.overloadedNotQuota.get())
                    .extra("unanswered", ledger.unanswered.get())
                    .extra("lostAccepted", lostAccepted)
                    .extra("lostSpooled", lostSpooled)
                    .extra("acceptedOrSpooledPercent", Report.round(share, 2))
                    .extra("first503Seconds", ledger.first503.get())
                    .extra("brokerKilledAtSeconds", Report.round(killAt, 1))
                    .extra("brokerBackAtSeconds", Report.round(brokerBackSeconds, 1))
                    .extra("loadSeconds", Report.round(loadEnd, 1))
                    .extra("drainSeconds", drained < 0 ? null : Report.round(drained - brokerBackSeconds, 1))
                    .extra("spoolEmptyAtSeconds", drained < 0 ? null : Report.round(drained, 1))
                    .extra("sluiceStarts", sluice.starts())
                    .extra("requestErrors", ledger.errors.toString());
            report.check(
                    "lost 0 of what was answered accepted or spooled",
                    lostAccepted + lostSpooled == 0,
                    lostAccepted + " accepted and " + lostSpooled + " spooled event(s) missing from the topic");
            if (!crash) {
                report.check("accepted + spooled >= 99 % of offered", share >= 99, Report.round(share, 2) + " %");
                report.check(
                        "503 only once the spool quota was reached",
                        ledger.overloadedNotQuota.get() == 0,
                        ledger.overloaded.get() + " event(s) answered 503 (" + ledger.overloadedNotQuota.get()
                                + " not for a full spool), first at " + ledger.first503.get() + " s");
            }
            report.check(
                    "the spool drained after the broker returned",
                    drained >= 0,
                    drained < 0 ? "not within 600 s" : "at " + Report.round(drained, 1) + " s");
        } finally {
            if (sluice != null) {
                sluice.close();
            }
            cluster.close();
        }
    }

    private static void post(URI uri, long request, Random random, Ledger ledger, long t0) {
        StringBuilder body = new StringBuilder(PER_REQUEST * 200).append('[');
        for (int j = 0; j < PER_REQUEST; j++) {
            if (j > 0) {
                body.append(',');
            }
            int truck = pareto(random);
            body.append("{\"eventId\":\"e")
                    .append(request)
                    .append('-')
                    .append(j)
                    .append("\",\"code\":")
                    .append(300 + truck % 3)
                    .append(",\"truckId\":\"T-")
                    .append(truck)
                    .append("\",\"timestamp\":")
                    .append(System.currentTimeMillis())
                    .append(",\"payload\":\"")
                    .append("x".repeat(80))
                    .append("\"}");
        }
        body.append(']');
        ledger.offered.addAndGet(PER_REQUEST);
        ledger.outstanding.incrementAndGet();
        HTTP.sendAsync(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(60))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, err) -> {
                    try {
                        if (err != null) {
                            Throwable cause = err.getCause() == null ? err : err.getCause();
                            AtomicLong n = ledger.errors.computeIfAbsent(
                                    cause.getClass().getSimpleName(), k -> new AtomicLong());
                            if (n.incrementAndGet() <= 3) {
                                LOG.warn(
                                        "request {} at {} s got no answer: {}",
                                        request,
                                        Report.round((System.nanoTime() - t0) / 1e9, 1),
                                        cause.toString());
                            }
                            ledger.unanswered.addAndGet(PER_REQUEST);
                            ledger.refused.addAndGet(PER_REQUEST);
                            return;
                        }
                        count(r, ledger, (System.nanoTime() - t0) / 1e9);
                    } finally {
                        ledger.outstanding.decrementAndGet();
                    }
                });
    }

    /** 80/20: a fifth of 1,000 trucks send four fifths of the events. */
    private static int pareto(Random r) {
        return r.nextDouble() < 0.8 ? r.nextInt(200) : 200 + r.nextInt(800);
    }

    private static void count(HttpResponse<String> r, Ledger ledger, double sec) {
        JsonObject body;
        try {
            body = new JsonObject(r.body());
        } catch (RuntimeException e) {
            ledger.refused.addAndGet(PER_REQUEST);
            return;
        }
        JsonArray results = body.getJsonArray("results");
        if (results == null) { // the whole request was refused
            ledger.refused.addAndGet(PER_REQUEST);
            if (r.statusCode() == 503) {
                ledger.first503.compareAndSet(null, Report.round(sec, 1));
                ledger.overloaded.addAndGet(PER_REQUEST);
                ledger.overloadedNotQuota.addAndGet(PER_REQUEST);
            }
            return;
        }
        for (int i = 0; i < results.size(); i++) {
            JsonObject e = results.getJsonObject(i);
            String status = e.getString("status");
            String id = e.getString("eventId");
            if ("accepted".equals(status)) {
                ledger.accepted.add(id);
            } else if ("spooled".equals(status)) {
                ledger.spooled.add(id);
            } else {
                ledger.refused.incrementAndGet();
                if ("overloaded".equals(status) || "unavailable".equals(status)) {
                    ledger.overloaded.incrementAndGet();
                    ledger.first503.compareAndSet(null, Report.round(sec, 1));
                    String error = e.getString("error", "");
                    if (!error.contains("spool is full")) {
                        ledger.overloadedNotQuota.incrementAndGet();
                    }
                }
            }
        }
    }

    private static void awaitAnswers(Ledger ledger, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ledger.outstanding.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** Polls {@code /api/status} until the spool holds no event; the time since t0 in seconds, or -1. */
    private static double awaitSpoolEmpty(SluiceProcess sluice, Duration timeout, long t0) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int zeroes = 0;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.adminPort() + "/api/status"))
                                .header("Authorization", "Bearer loadtest")
                                .timeout(Duration.ofSeconds(5))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonObject spool =
                        new JsonObject(r.body()).getJsonObject("producer").getJsonObject("spool");
                if (spool != null && spool.getLong("events", -1L) == 0 && spool.getLong("held", 0L) == 0) {
                    if (++zeroes >= 2) {
                        return (System.nanoTime() - t0) / 1e9;
                    }
                } else {
                    zeroes = 0;
                }
            } catch (Exception e) {
                zeroes = 0; // restarting
            }
            TimeUnit.MILLISECONDS.sleep(500); // polling a child process from the runner thread
        }
        return -1;
    }

    /** Every event id in the topic with how many times it is there. */
    private static Map<String, Integer> readTopic(String bootstrap) {
        Map<String, Integer> seen = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", "false", "max.poll.records", "5000"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(TOPIC)) {
                tps.add(new TopicPartition(TOPIC, p.partition()));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long idle = System.nanoTime();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    String v = new String(r.value(), StandardCharsets.UTF_8);
                    int at = v.indexOf("\"eventId\":\"");
                    if (at >= 0) {
                        int from = at + 11;
                        seen.merge(v.substring(from, v.indexOf('"', from)), 1, Integer::sum);
                    }
                    idle = System.nanoTime();
                }
                if (System.nanoTime() - idle > TimeUnit.SECONDS.toNanos(60)) {
                    break;
                }
            }
        }
        return seen;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
