package io.sluice.producer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.kafka.AsyncProducer;
import io.sluice.spool.SegmentLog;
import io.sluice.spool.Spool;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's memory → spool → Kafka path when {@code producer.spool.enabled} (event loop only, except the
 * spool's own thread). Routes each event by {@link KeyLedger} (Kafka, the spool, or wait behind its key), spools
 * what Kafka fails retriably (after the client's own in-memory retries up to {@code delivery.timeout.ms}) and
 * what arrives while Kafka is down or the in-flight bound is full, answers {@code spooled} only once the entry
 * is forced to disk, and drains the spool oldest first at {@code drainRatePerSecond} (a token bucket) whenever
 * there is something to drain; while Kafka is down (a retriable failure and no acknowledgement since, or a restart
 * that found events in the spool) each drain round is a one-event probe, backing off exponentially until it is
 * acknowledged, so the returning broker is not stampeded and a send blocked on metadata holds one event only.
 */
final class SpoolCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolCoordinator.class);
    private static final long BROKER_ANSWERING_MS = 30_000;
    private static final long IDLE_POLL_MS = 50;

    /** One event on its way: its record, key, where its answer goes, and its in-flight share (null: none). */
    private record Item(ProducerRecord<byte[], byte[]> record, String key, EventOutcome outcome, Runnable release) {
        void releaseShare() {
            if (release != null) {
                release.run();
            }
        }
    }

    private final Vertx vertx;
    private final Context context;
    private final SpoolSettings settings;
    private final Spool spool;
    private final Supplier<AsyncProducer> producer;
    private final Consumer<Throwable> onFatal;
    private final Supplier<String> fatal;
    private final long maxHeld;
    private final KeyLedger<Item> ledger = new KeyLedger<>();
    private final Counter appendedCounter;
    private final Counter drainedCounter;
    private boolean kafkaDown;
    private long lastAckMs;
    private long appendsInProgress;
    private long drainInFlight;
    private double allowance;
    private long lastRefillMs;
    private long backoffMs;
    private long drainedTotal;
    private long rateWindowStartMs;
    private long rateWindowDrained;
    private volatile double drainRate;
    private boolean closed;

    private SpoolCoordinator(
            Vertx vertx,
            Context context,
            SpoolSettings settings,
            Spool spool,
            Supplier<AsyncProducer> producer,
            Consumer<Throwable> onFatal,
            Supplier<String> fatal,
            long maxHeld,
            MeterRegistry registry) {
        this.vertx = vertx;
        this.context = context;
        this.settings = settings;
        this.spool = spool;
        this.producer = producer;
        this.onFatal = onFatal;
        this.fatal = fatal;
        this.maxHeld = maxHeld;
        this.appendedCounter = Counter.builder("sluice.producer.spool.appended").register(registry);
        this.drainedCounter = Counter.builder("sluice.producer.spool.drained").register(registry);
        Gauge.builder("sluice.producer.spool.bytes", () -> spool.stats().bytes())
                .register(registry);
        Gauge.builder("sluice.producer.spool.events", () -> spool.stats().pendingEntries())
                .register(registry);
        Gauge.builder("sluice.producer.spool.oldest.age.seconds", this::oldestAgeSeconds)
                .register(registry);
        Gauge.builder("sluice.producer.spool.drain.rate", () -> drainRate).register(registry);
        Gauge.builder("sluice.producer.spool.drain.limit", () -> settings.drainRatePerSecond())
                .register(registry);
        Gauge.builder("sluice.producer.spool.corrupt", () -> spool.stats().corruptRegions())
                .register(registry);
        Gauge.builder("sluice.producer.spool.held", ledger::held).register(registry);
        Gauge.builder("sluice.producer.kafka.down", () -> kafkaDown ? 1 : 0).register(registry);
    }

    /**
     * Opens the spool off the event loop, reads back what a previous run left in it (its keys keep their order:
     * their new events go behind), and starts the drain. Completes on {@code context}.
     */
    static Future<SpoolCoordinator> open(
            Vertx vertx,
            Context context,
            SpoolSettings settings,
            Supplier<AsyncProducer> producer,
            Consumer<Throwable> onFatal,
            Supplier<String> fatal,
            long maxHeld,
            MeterRegistry registry) {
        return vertx.executeBlocking(() -> {
                    Spool spool = Spool.open(settings.options(), "sluice-spool");
                    Map<String, Long> keys = new HashMap<>();
                    while (true) {
                        List<SegmentLog.Entry> es = spool.read(10_000, 8L << 20).get();
                        if (es.isEmpty()) {
                            break;
                        }
                        for (SegmentLog.Entry e : es) {
                            keys.merge(keyOf(SpooledRecords.decode(e.data())), 1L, Long::sum);
                        }
                    }
                    spool.rewind().get();
                    return new Object[] {spool, keys};
                })
                .map(o -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Long> keys = (Map<String, Long>) ((Object[]) o)[1];
                    SpoolCoordinator c = new SpoolCoordinator(
                            vertx,
                            context,
                            settings,
                            (Spool) ((Object[]) o)[0],
                            producer,
                            onFatal,
                            fatal,
                            maxHeld,
                            registry);
                    long total = 0;
                    for (Map.Entry<String, Long> k : keys.entrySet()) {
                        for (long i = 0; i < k.getValue(); i++) {
                            c.ledger.recovered(k.getKey());
                        }
                        total += k.getValue();
                    }
                    if (total > 0) { // Kafka is not known to answer yet: new events go behind the spooled ones until a
                        // probe is acked
                        c.kafkaDown = true;
                        LOG.info(
                                "Spool {}: {} event(s) of {} key(s) left by a previous run; draining at up to {}/s",
                                settings.directory(),
                                total,
                                keys.size(),
                                settings.drainRatePerSecond());
                    }
                    c.lastRefillMs = System.currentTimeMillis();
                    c.scheduleDrain(0);
                    return c;
                });
    }

    private static String keyOf(ProducerRecord<byte[], byte[]> r) {
        return r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
    }

    private double oldestAgeSeconds() {
        long at = spool.stats().oldestAppendedAtMs();
        return at == 0 ? 0 : Math.max(0, System.currentTimeMillis() - at) / 1000.0;
    }

    // ------------------------------------------------------------------ intake

    /**
     * Takes events in order: each goes to Kafka, to the spool, or waits behind its key. {@code releases.get(i)}
     * gives back event i's in-flight share once it has its answer (null: it took none, e.g. it came while the
     * bound was full, {@code full.get(i)}).
     */
    void submitAll(
            List<ProducerRecord<byte[], byte[]>> records,
            List<EventOutcome> outcomes,
            List<Runnable> releases,
            List<Boolean> full) {
        List<ProducerRecord<byte[], byte[]>> now = new ArrayList<>(records.size());
        List<AsyncProducer.Completion> done = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            Item item = new Item(records.get(i), keyOf(records.get(i)), outcomes.get(i), releases.get(i));
            route(item, full.get(i), now, done);
        }
        if (!now.isEmpty()) {
            producer.get().sendAll(context, now, done);
        }
    }

    /** One event; see {@link #submitAll}. */
    void submit(ProducerRecord<byte[], byte[]> record, EventOutcome outcome, Runnable release, boolean full) {
        submitAll(List.of(record), List.of(outcome), java.util.Collections.singletonList(release), List.of(full));
    }

    private void route(
            Item item, boolean full, List<ProducerRecord<byte[], byte[]>> now, List<AsyncProducer.Completion> done) {
        String f = fatal.get();
        if (f != null) {
            item.releaseShare();
            item.outcome().failed(ProduceAnswer.UNAVAILABLE, "the producer stopped on a fatal error: " + f);
            return;
        }
        if (ledger.held() >= maxHeld) {
            item.releaseShare();
            item.outcome()
                    .failed(
                            ProduceAnswer.OVERLOADED,
                            "more than " + maxHeld + " events wait behind earlier events of their keys");
            return;
        }
        switch (ledger.route(item.key(), item, kafkaDown, full)) {
            case SEND -> {
                now.add(item.record());
                done.add((md, err) -> onDirect(item, md, err));
            }
            case SPOOL -> append(item);
            case HOLD -> {}
        }
    }

    private void onDirect(Item item, RecordMetadata md, Throwable err) {
        boolean spoolIt = false;
        if (err == null) {
            acked();
            item.releaseShare();
            item.outcome().accepted(md);
        } else {
            SendErrors.Kind kind = SendErrors.classify(err, brokerAnswering());
            switch (kind) {
                case RETRIABLE -> {
                    if (!kafkaDown) {
                        LOG.warn(
                                "Kafka did not acknowledge ({}): events go to the spool until it answers again",
                                err.toString());
                    }
                    kafkaDown = true;
                    spoolIt = true;
                }
                case FATAL -> {
                    onFatal.accept(err);
                    item.releaseShare();
                    item.outcome().failed(ProduceAnswer.UNAVAILABLE, "fatal: " + err);
                }
                case INVALID -> {
                    item.releaseShare();
                    item.outcome().failed(ProduceAnswer.INVALID, "too-large: " + err.getMessage());
                }
            }
        }
        List<Item> released = ledger.directDone(item.key(), spoolIt);
        if (spoolIt) {
            append(item); // before the key's held events: its order is kept in the spool
        }
        resubmit(released);
    }

    private void resubmit(List<Item> items) {
        if (items.isEmpty()) {
            return;
        }
        List<ProducerRecord<byte[], byte[]>> now = new ArrayList<>();
        List<AsyncProducer.Completion> done = new ArrayList<>();
        for (Item it : items) {
            route(it, false, now, done);
        }
        if (!now.isEmpty()) {
            producer.get().sendAll(context, now, done);
        }
    }

    private boolean brokerAnswering() {
        return lastAckMs > 0 && System.currentTimeMillis() - lastAckMs < BROKER_ANSWERING_MS;
    }

    private void acked() {
        lastAckMs = System.currentTimeMillis();
        if (kafkaDown) {
            LOG.info("Kafka acknowledges again: new events go to Kafka unless their key still has spooled events");
        }
        kafkaDown = false;
    }

    /**
     * Queues the item (already counted spooled by the ledger) for the spool; the items queued in one event-loop
     * turn go in one append, in order, and are answered once it is forced to disk.
     */
    private void append(Item item) {
        appendsInProgress++;
        if (toAppend.isEmpty()) {
            context.runOnContext(v -> flushAppends());
        }
        toAppend.add(item);
    }

    private final List<Item> toAppend = new ArrayList<>();

    private void flushAppends() {
        List<Item> items = new ArrayList<>(toAppend);
        toAppend.clear();
        List<byte[]> entries = new ArrayList<>(items.size());
        for (Item it : items) {
            entries.add(SpooledRecords.encode(it.record()));
        }
        spool.append(entries)
                .whenComplete((ok, err) -> context.runOnContext(v -> {
                    appendsInProgress -= items.size();
                    for (Item item : items) {
                        item.releaseShare();
                        if (err == null && ok) {
                            item.outcome().spooled(item.record().topic());
                        } else {
                            ledger.unspooled(item.key());
                            if (err == null) {
                                item.outcome()
                                        .failed(
                                                ProduceAnswer.OVERLOADED,
                                                "the spool is full (producer.spool.maxBytes=" + settings.maxBytes()
                                                        + ")");
                            } else {
                                item.outcome()
                                        .failed(
                                                ProduceAnswer.UNAVAILABLE,
                                                "the spool could not write the event: " + err);
                            }
                        }
                    }
                    if (err == null && ok) {
                        appendedCounter.increment(items.size());
                    } else if (err != null) {
                        LOG.error("Spool append of {} event(s) failed: {}", items.size(), err.toString());
                    }
                }));
    }

    // ------------------------------------------------------------------ drain

    private boolean drainScheduled;

    private void scheduleDrain(long delayMs) {
        if (closed || drainScheduled) {
            return;
        }
        drainScheduled = true;
        vertx.timer(Math.max(1, delayMs)).onComplete(t -> {
            drainScheduled = false;
            drainRound();
        });
    }

    private void drainRound() {
        if (closed) {
            return;
        }
        long now = System.currentTimeMillis();
        updateRate(now);
        if (fatal.get() != null || spool.stats().pendingEntries() == 0) {
            allowance = 0;
            lastRefillMs = now;
            scheduleDrain(IDLE_POLL_MS);
            return;
        }
        int rate = settings.drainRatePerSecond();
        allowance = Math.min(Math.max(1, rate / 5.0), allowance + rate * (now - lastRefillMs) / 1000.0);
        lastRefillMs = now;
        if (allowance < 1) {
            scheduleDrain((long) Math.ceil((1 - allowance) * 1000 / rate));
            return;
        }
        int n = kafkaDown
                ? 1
                : (int) allowance; // while Kafka is down, one event probes it (a send may block on metadata)
        Future.fromCompletionStage(spool.read(n, 4L << 20), context).onComplete(ar -> {
            if (ar.failed()) {
                LOG.error("Spool read failed: {}", ar.cause().toString());
                scheduleDrain(backoff());
                return;
            }
            List<SegmentLog.Entry> entries = ar.result();
            if (entries.isEmpty()) {
                scheduleDrain(IDLE_POLL_MS);
                return;
            }
            allowance -= entries.size();
            send(entries);
        });
    }

    private void send(List<SegmentLog.Entry> entries) {
        int n = entries.size();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(n);
        for (SegmentLog.Entry e : entries) {
            records.add(SpooledRecords.decode(e.data()));
        }
        Throwable[] errors = new Throwable[n];
        int[] missing = {n};
        List<AsyncProducer.Completion> done = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            done.add((md, err) -> {
                errors[index] = err;
                if (--missing[0] == 0) {
                    drainDone(entries, records, errors);
                }
            });
        }
        drainInFlight += n;
        producer.get().sendAll(context, records, done);
    }

    private void drainDone(
            List<SegmentLog.Entry> entries, List<ProducerRecord<byte[], byte[]>> records, Throwable[] errors) {
        drainInFlight -= entries.size();
        int ok = 0;
        while (ok < errors.length && errors[ok] == null) {
            ok++;
        }
        if (ok > 0) {
            acked();
            spool.commit(entries.get(ok - 1).end(), ok);
            for (int i = 0; i < ok; i++) {
                ledger.unspooled(keyOf(records.get(i)));
            }
            drainedTotal += ok;
            drainedCounter.increment(ok);
        }
        if (ok == errors.length) {
            backoffMs = 0;
            scheduleDrain(0);
            return;
        }
        Throwable err = errors[ok];
        SendErrors.Kind kind = SendErrors.classify(err, brokerAnswering());
        if (kind == SendErrors.Kind.FATAL) {
            onFatal.accept(err);
        } else if (kind == SendErrors.Kind.INVALID) { // can never be written: skip it, logged
            LOG.error(
                    "Spooled event for {} can never be written ({}); dropped from the spool",
                    records.get(ok).topic(),
                    err.toString());
            spool.commit(entries.get(ok).end(), 1);
            ledger.unspooled(keyOf(records.get(ok)));
        } else {
            kafkaDown = true;
        }
        spool.rewind();
        long wait = backoff();
        LOG.warn(
                "Spool drain: {} of {} event(s) sent, then {}; next attempt in {} ms",
                ok,
                errors.length,
                err.toString(),
                wait);
        scheduleDrain(wait);
    }

    private long backoff() {
        backoffMs = backoffMs == 0 ? settings.retryBackoffMs() : Math.min(settings.maxRetryBackoffMs(), backoffMs * 2);
        return backoffMs;
    }

    private void updateRate(long now) {
        if (rateWindowStartMs == 0) {
            rateWindowStartMs = now;
            rateWindowDrained = drainedTotal;
        } else if (now - rateWindowStartMs >= 1000) {
            drainRate = Math.round((drainedTotal - rateWindowDrained) * 1000.0 / (now - rateWindowStartMs));
            rateWindowStartMs = now;
            rateWindowDrained = drainedTotal;
        }
    }

    // ------------------------------------------------------------------ status, stop

    /** Events neither answered nor settled by the coordinator (appends in progress, held, drain sends). */
    long busy() {
        return appendsInProgress + ledger.held() + drainInFlight;
    }

    /** The spool's part of {@code /api/status}. */
    JsonObject statusJson() {
        Spool.Stats st = spool.stats();
        return new JsonObject()
                .put("enabled", true)
                .put("directory", settings.directory().toString())
                .put("bytes", st.bytes())
                .put("maxBytes", settings.maxBytes())
                .put("events", st.pendingEntries())
                .put("oldestAgeSeconds", oldestAgeSeconds())
                .put("drainRatePerSecond", drainRate)
                .put("drainLimitPerSecond", settings.drainRatePerSecond())
                .put("corrupt", st.corruptRegions())
                .put("held", ledger.held())
                .put("kafkaDown", kafkaDown);
    }

    /** Stops draining and closes the spool (forcing what is written) off the event loop. */
    Future<Void> close() {
        closed = true;
        Promise<Void> p = Promise.promise();
        vertx.<Void>executeBlocking(() -> {
                    spool.close();
                    return null;
                })
                .onComplete(p);
        return p.future();
    }
}
