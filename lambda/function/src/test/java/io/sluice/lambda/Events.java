package io.sluice.lambda;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Builds small Lambda Kafka events of telemetry records for tests. */
final class Events {
    private final ObjectNode root = Dispatcher.MAPPER.createObjectNode();
    private final ObjectNode records = root.putObject("records");

    private Events(int deliveryAttempt) {
        root.put("eventSource", "SelfManagedKafka");
        root.put("bootstrapServers", "localhost:9092");
        if (deliveryAttempt > 1) {
            root.put("sluiceDeliveryAttempt", deliveryAttempt);
        }
    }

    static Events first() {
        return new Events(1);
    }

    static Events attempt(int n) {
        return new Events(n);
    }

    /** Record at t-{@code partition}@{@code offset}, key {@code key}, code 301 (routed to the sink). */
    Events record(int partition, long offset, String key, String eventId, boolean suspect) {
        ArrayNode list = records.has("t-" + partition)
                ? (ArrayNode) records.get("t-" + partition)
                : records.putArray("t-" + partition);
        ObjectNode r = list.addObject();
        r.put("topic", "t")
                .put("partition", partition)
                .put("offset", offset)
                .put("timestamp", 1_700_000_000_000L)
                .put("timestampType", "CREATE_TIME");
        r.put("key", b64(key));
        r.put(
                "value",
                b64("{\"eventId\":\"" + eventId + "\",\"code\":301,\"truckId\":\"T-1\",\"timestamp\":1700000000000}"));
        ArrayNode headers = r.putArray("headers");
        if (suspect) {
            ArrayNode v = headers.addObject().putArray(Dispatcher.SUSPECT_HEADER);
            v.add((int) '1');
        }
        return this;
    }

    byte[] bytes() {
        try {
            return Dispatcher.MAPPER.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
