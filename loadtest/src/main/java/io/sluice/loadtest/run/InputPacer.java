package io.sluice.loadtest.run;

import io.sluice.producer.ProducerSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The load: ~200-byte telemetry events keyed {@code code:truckId} with a per-key {@code seq}, 80/20 keys
 * (20% of the trucks send 80% of the events, uniformly within each group, so the hottest key gets 0.08% of
 * the input: no single key is capped by per-key order), codes 400/300/500 at 70/20/10%, written by a raw
 * idempotent {@code acks=all} producer at a rate that may change while it runs, so the input does not depend
 * on the pipeline under test. Event {@code n} (1-based) has id {@code <prefix>-n}, also in the
 * header {@value #ID_HEADER} (so an event whose value is not JSON can still be named in the DLQ). Every
 * {@code poisonEvery}-th event (0 = none) is sent with a value that is not JSON. Which events Kafka
 * acknowledged is kept exactly ({@link #accepted}). The keys come from a {@link KeyDraw} (80/20 unless the
 * run asks for a hot key); with {@code trackKeys} the pacer also keeps, per event, whether it has the hot key
 * ({@link #hot}) and its create time ({@link #createdAtMs}), for the per-key latency split.
 */
public final class InputPacer implements AutoCloseable {
    public static final String ID_HEADER = "loadtest-event-id";
    private static final int TICK_MS = 5;
    /** The codes (70/20/10%). */
    static final int[] CODES = KeyDraw.CODES;

    private static final String PAD = "x".repeat(30); // ~200-byte events

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String prefix;
    private final int poisonEvery;
    private final KeyDraw keys;
    private final long[][] seq;
    private final boolean trackKeys;
    private final BitSet hot = new BitSet();
    private int[] createdOffsetMs = new int[0];
    private long createdBaseMs = -1;
    private final SplittableRandom rnd = new SplittableRandom(42);
    private final BitSet accepted = new BitSet();
    private final BitSet poison = new BitSet();
    private final AtomicLong acceptedCount = new AtomicLong();
    private final AtomicLong failedCount = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final Thread thread;
    private volatile double rate;
    private volatile boolean running = true;
    private volatile long sent;
    /** Each record gets a sampled {@code traceparent} header (a traced upstream): tracing runs. */
    private volatile boolean traceparents;

    private final SplittableRandom traceRnd = new SplittableRandom(7); // apart from the keys' draws

    /**
     * Starts sending at once.
     *
     * @param producerProps extra producer properties (e.g. {@code metadata.max.age.ms})
     */
    public InputPacer(
            String bootstrap,
            String topic,
            String prefix,
            double rate,
            int poisonEvery,
            int trucks,
            Map<String, String> producerProps) {
        this(bootstrap, topic, prefix, rate, poisonEvery, KeyDraw.eightyTwenty(trucks), false, producerProps);
    }

    /**
     * Starts sending at once, keys from {@code keys}.
     *
     * @param trackKeys     keep per event its hot-key flag and create time ({@link #hot}, {@link #createdAtMs})
     * @param producerProps extra producer properties (e.g. {@code metadata.max.age.ms})
     */
    public InputPacer(
            String bootstrap,
            String topic,
            String prefix,
            double rate,
            int poisonEvery,
            KeyDraw keys,
            boolean trackKeys,
            Map<String, String> producerProps) {
        // the Sluice producer's own defaults (acks=all, idempotence, linger 5 ms, lz4, 64 KiB batches), with
        // longer timeouts: through a broker kill the input waits rather than fails
        Map<String, Object> props = new HashMap<>(ProducerSettings.defaultKafkaProperties());
        props.put("bootstrap.servers", bootstrap);
        props.put("delivery.timeout.ms", "300000");
        props.put("request.timeout.ms", "30000");
        props.put("max.block.ms", "60000");
        props.put("client.id", "loadtest-input");
        props.putAll(producerProps);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.prefix = prefix;
        this.poisonEvery = poisonEvery;
        this.rate = rate;
        this.keys = keys;
        this.trackKeys = trackKeys;
        this.seq = new long[CODES.length][keys.trucks()];
        this.thread = new Thread(this::loop, "loadtest-input");
        thread.start();
    }

    /** From now on every record carries a random sampled {@code traceparent} ({@code on}), or none. */
    public void traceparents(boolean on) {
        traceparents = on;
    }

    /** A W3C {@code traceparent} with random trace and span ids, sampled. */
    static String traceparent(SplittableRandom rnd) {
        java.util.HexFormat hex = java.util.HexFormat.of();
        return "00-" + hex.toHexDigits(rnd.nextLong() | 1L) + hex.toHexDigits(rnd.nextLong()) + "-"
                + hex.toHexDigits(rnd.nextLong() | 1L) + "-01";
    }

    /** The event id of the {@code n}-th event (1-based). */
    public String id(long n) {
        return prefix + "-" + n;
    }

    public void rate(double perSecond) {
        this.rate = perSecond;
    }

    public double rate() {
        return rate;
    }

    private void loop() {
        long last = System.nanoTime();
        double credit = 0;
        while (running) {
            long now = System.nanoTime();
            credit = Math.min(credit + rate * (now - last) / 1e9, Math.max(1, rate)); // at most 1 s of catch-up
            last = now;
            while (credit >= 1 && running) {
                credit -= 1;
                send();
            }
            try {
                Thread.sleep(TICK_MS); // the pacer's own thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The key of the hottest group's first truck with the most frequent code, e.g. {@code 400:T-00001}. */
    public static String sampleHotKey() {
        return CODES[0] + ":" + truckId(0);
    }

    static String truckId(int index) {
        return KeyDraw.truckId(index);
    }

    /** 80/20: 80% of the draws from the first fifth of the trucks, 20% from the rest, uniform within each. */
    static int truck(SplittableRandom rnd, int trucks) {
        return KeyDraw.truck(rnd, trucks);
    }

    private void send() {
        long n = sent + 1;
        int k = keys.draw(rnd);
        int ci = keys.codeIndex(k);
        int t = keys.truckIndex(k);
        long s = ++seq[ci][t];
        long now = System.currentTimeMillis();
        if (trackKeys) {
            track((int) n, keys.isHot(k), now);
        }
        String truck = truckId(t);
        String id = id(n);
        byte[] key = (CODES[ci] + ":" + truck).getBytes(StandardCharsets.UTF_8);
        boolean bad = poisonEvery > 0 && n % poisonEvery == 0;
        String json =
                "{\"eventId\":\"" + id + "\",\"code\":" + CODES[ci] + ",\"truckId\":\"" + truck + "\",\"timestamp\":"
                        + now + ",\"seq\":" + s + ",\"speedKmh\":" + (40 + rnd.nextInt(60))
                        + ".5,\"lat\":-23.5505,\"lon\":-46.6333,\"fuelPct\":61.2,\"pad\":\"" + PAD + "\"}";
        byte[] value = (bad ? "not json {" + id : json).getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        headers.add(ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
        if (traceparents) {
            headers.add("traceparent", traceparent(traceRnd).getBytes(StandardCharsets.UTF_8));
        }
        if (bad) {
            synchronized (poison) {
                poison.set((int) n);
            }
        }
        try {
            producer.send(new ProducerRecord<>(topic, null, key, value, headers), (md, err) -> {
                if (err == null) {
                    synchronized (accepted) {
                        accepted.set((int) n);
                    }
                    acceptedCount.incrementAndGet();
                } else {
                    failedCount.incrementAndGet();
                    firstFailure.compareAndSet(null, err.toString());
                }
            });
        } catch (RuntimeException e) {
            failedCount.incrementAndGet();
            firstFailure.compareAndSet(null, e.toString());
        }
        sent = n;
    }

    private void track(int n, boolean isHot, long now) {
        if (createdBaseMs < 0) {
            createdBaseMs = now;
        }
        if (n >= createdOffsetMs.length) {
            createdOffsetMs = java.util.Arrays.copyOf(
                    createdOffsetMs, Math.max(1 << 16, Math.max(n + 1, createdOffsetMs.length * 2)));
        }
        createdOffsetMs[n] = (int) (now - createdBaseMs);
        if (isHot) {
            synchronized (hot) {
                hot.set(n);
            }
        }
    }

    /** The key draw of this input. */
    public KeyDraw keys() {
        return keys;
    }

    /** A copy of the numbers of the events sent with the hot key (empty unless {@code trackKeys}). */
    public BitSet hot() {
        synchronized (hot) {
            return (BitSet) hot.clone();
        }
    }

    /**
     * The create time (epoch ms, the event's {@code timestamp}) of event {@code n}, or -1 when not tracked;
     * read only after {@link #stop} (the pacer thread writes it).
     */
    public long createdAtMs(int n) {
        return !trackKeys || n <= 0 || n > sent || n >= createdOffsetMs.length
                ? -1
                : createdBaseMs + createdOffsetMs[n];
    }

    /** Events handed to the producer so far. */
    public long sent() {
        return sent;
    }

    /** Events Kafka acknowledged so far. */
    public long acceptedCount() {
        return acceptedCount.get();
    }

    public long failedCount() {
        return failedCount.get();
    }

    public String firstFailure() {
        return firstFailure.get();
    }

    /** A copy of the acknowledged event numbers. */
    public BitSet accepted() {
        synchronized (accepted) {
            return (BitSet) accepted.clone();
        }
    }

    /** A copy of the numbers of the events sent as poison (not JSON). */
    public BitSet poison() {
        synchronized (poison) {
            return (BitSet) poison.clone();
        }
    }

    /** Stops sending and waits for every outstanding acknowledgement (bounded by the delivery timeout). */
    public void stop() throws InterruptedException {
        running = false;
        thread.join(30_000);
        producer.flush();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        producer.close(Duration.ofSeconds(30));
    }
}
