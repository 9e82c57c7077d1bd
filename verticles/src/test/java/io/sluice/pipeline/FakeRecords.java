package io.sluice.pipeline;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** Telemetry records for MockConsumer-based tests: JSON values, keys over seven trucks. */
public final class FakeRecords {
    private FakeRecords() {}

    public static List<ConsumerRecord<byte[], byte[]>> of(TopicPartition tp, long from, int n) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (long o = from; o < from + n; o++) {
            byte[] value = new JsonObject()
                    .put("eventId", "e-" + o)
                    .put("code", 300)
                    .put("truckId", "k" + (o % 7))
                    .toBuffer()
                    .getBytes();
            out.add(new ConsumerRecord<>(
                    tp.topic(), tp.partition(), o, ("k" + (o % 7)).getBytes(StandardCharsets.UTF_8), value));
        }
        return out;
    }
}
