package io.sluice.launcher.scale;

import io.sluice.kafka.KafkaSettings;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A steady rate of telemetry events (a tick every 10 ms, acks=all, idempotent) until closed; keeps the acknowledged ids. */
final class LoadProducer implements AutoCloseable {
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong next = new AtomicLong();

    LoadProducer(KafkaSettings kafka, String topic, int perSecond, int keys) {
        Map<String, Object> props = new HashMap<>(kafka.clientConfig(Map.of(), Map.of()));
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("linger.ms", "5");
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        int perTick = Math.max(1, perSecond / 100);
        timer.scheduleAtFixedRate(
                () -> {
                    for (int i = 0; i < perTick; i++) {
                        long n = next.getAndIncrement();
                        String truck = "T-" + (n % keys);
                        String id = "so-" + n;
                        byte[] value = new JsonObject()
                                .put("eventId", id)
                                .put("code", 400)
                                .put("truckId", truck)
                                .put("timestamp", System.currentTimeMillis())
                                .put("seq", n)
                                .toBuffer()
                                .getBytes();
                        producer.send(
                                new ProducerRecord<>(topic, ("400:" + truck).getBytes(StandardCharsets.UTF_8), value),
                                (md, err) -> {
                                    if (err == null) {
                                        acked.add(id);
                                    }
                                });
                    }
                },
                0,
                10,
                TimeUnit.MILLISECONDS);
    }

    /** Acknowledged ids (complete once closed). */
    List<String> ids() {
        return new ArrayList<>(acked);
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(10, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(60));
    }
}
