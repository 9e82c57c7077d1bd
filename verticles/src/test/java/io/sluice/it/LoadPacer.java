package io.sluice.it;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Produces a steady rate of events (a tick every 10 ms) until stopped; records every id it sent. */
final class LoadPacer implements AutoCloseable {
    /** Acknowledged ids (a synchronized list: a copy-on-write one costs O(n) per add at thousands per second). */
    final List<String> ids = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicInteger next = new AtomicInteger();

    LoadPacer(Harness h, String topic, String prefix, int perSecond, int keys) {
        this.producer = h.producer();
        int perTick = Math.max(1, perSecond / 100);
        timer.scheduleAtFixedRate(() -> {
            for (int i = 0; i < perTick; i++) {
                int n = next.getAndIncrement();
                String truck = "T-" + (n % keys);
                String id = prefix + "-" + n;
                producer.send(new ProducerRecord<>(topic, Harness.utf8("400:" + truck), Harness.event(id, 400, truck, n)),
                        (md, err) -> {
                            if (err == null) {
                                ids.add(id);
                            }
                        });
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
    }

    /** Stops producing and waits for the last acknowledgements. */
    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(10, TimeUnit.SECONDS);
        producer.flush();
        producer.close();
    }
}
