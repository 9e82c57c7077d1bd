package io.sluice.launcher.admin;

import io.sluice.bus.Addresses;
import io.sluice.producer.ProduceBatch;
import io.sluice.producer.ProduceBatchReply;
import io.sluice.producer.ProduceResult;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Events through Sluice's own producer ({@code sluice.produce.batch}) from a thread of its own, {@code hotShare} of
 * them with the key {@link #HOT_KEY}, the rest spread over many codes and trucks of topic {@code mt-c400}. Keeps
 * the accepted event ids and, per partition, how many were accepted and how many of those had the hot key.
 */
final class SkewedLoad implements AutoCloseable {
    static final String HOT_KEY = "400:TRK-HOT";

    private final Vertx vertx;
    private final int batch;
    private final long periodMs;
    private final double hotShare;
    private final java.util.concurrent.ScheduledExecutorService timer;
    private final Random rnd = new Random(17);
    private final List<String> ids = new ArrayList<>();
    private final Map<String, long[]> perPartition = new HashMap<>(); // "topic-partition" -> {accepted, hot}
    private long failed;
    private volatile Throwable error;
    private long seq;

    SkewedLoad(Vertx vertx, int batch, long periodMs, double hotShare) {
        this.vertx = vertx;
        this.batch = batch;
        this.periodMs = periodMs;
        this.hotShare = hotShare;
        this.timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skewed-load");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::sendOne, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    /** One batch, on the load's own thread (a late reply delays the next batch: the rate drops, nothing queues). */
    private void sendOne() {
        if (error != null) {
            return;
        }
        try {
            {
                List<JsonObject> events = new ArrayList<>(batch);
                List<Boolean> hot = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    boolean h = rnd.nextDouble() < hotShare;
                    events.add(new JsonObject()
                            .put("eventId", "sk-" + (seq++))
                            .put("code", h ? 400 : 400 + rnd.nextInt(50))
                            .put("truckId", h ? "TRK-HOT" : "TRK-" + rnd.nextInt(5_000))
                            .put("timestamp", System.currentTimeMillis())
                            .put("payload", "x".repeat(150)));
                    hot.add(h);
                }
                ProduceBatchReply reply = vertx.eventBus()
                        .<ProduceBatchReply>request(
                                Addresses.PRODUCE_BATCH,
                                new ProduceBatch(events),
                                new DeliveryOptions().setSendTimeout(30_000))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(35, TimeUnit.SECONDS)
                        .body();
                synchronized (this) {
                    for (int i = 0; i < reply.size(); i++) {
                        ProduceResult r = reply.results().get(i);
                        if (!r.isAccepted()) {
                            failed++;
                            continue;
                        }
                        ids.add(events.get(i).getString("eventId"));
                        long[] c = perPartition.computeIfAbsent(r.topic() + "-" + r.partition(), k -> new long[2]);
                        c[0]++;
                        c[1] += hot.get(i) ? 1 : 0;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            error = e;
        }
    }

    /** The partition the hot key goes to ("topic-partition"), once one was accepted. */
    synchronized String hotPartition() {
        return perPartition.entrySet().stream()
                .filter(e -> e.getValue()[1] > 0)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
    }

    /** Hot-key records / all accepted records of that partition, over the whole run. */
    synchronized double hotShareOf(String topicPartition) {
        long[] c = perPartition.get(topicPartition);
        return (double) c[1] / c[0];
    }

    synchronized List<String> ids() {
        return List.copyOf(ids);
    }

    synchronized long accepted() {
        return ids.size();
    }

    synchronized long failed() {
        return failed;
    }

    Throwable error() {
        return error;
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        if (!timer.awaitTermination(40, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the load did not stop");
        }
    }
}
