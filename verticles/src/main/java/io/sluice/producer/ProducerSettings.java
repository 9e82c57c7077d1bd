package io.sluice.producer;

import io.sluice.config.Cfg;
import io.sluice.config.Key;
import io.sluice.config.Section;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The producer verticle's configuration (key {@code producer}).
 *
 * @param rate               token bucket settings, see {@link TokenBucket#fromJson}
 * @param dlqTopic           where invalid events go, with reason headers
 * @param maxInFlightMessages events accepted for sending and not yet acknowledged; above it: {@code overloaded}
 * @param maxInFlightBytes   the same in bytes (keep under the client's {@code buffer.memory})
 * @param flushTimeoutMs     graceful stop: how long to wait for acknowledgements
 * @param kafka              producer properties (defaults: acks=all, idempotence, lz4, linger 5 ms, 64 KiB batches)
 * @param spool              the durable spool ({@code producer.spool}, disabled by default), see {@link SpoolSettings}
 */
public record ProducerSettings(
        boolean enabled,
        TopicRouter router,
        KeyResolver keys,
        EventValidator validator,
        JsonObject rate,
        String dlqTopic,
        int maxInFlightMessages,
        long maxInFlightBytes,
        long flushTimeoutMs,
        Map<String, String> kafka,
        SpoolSettings spool) {

    /** Producer properties applied unless overridden in {@code producer.kafka}. */
    public static Map<String, String> defaultKafkaProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("acks", "all");
        m.put("enable.idempotence", "true");
        m.put("max.in.flight.requests.per.connection", "5");
        m.put("linger.ms", "5");
        m.put("batch.size", "65536");
        m.put("compression.type", "lz4");
        m.put("delivery.timeout.ms", "30000");
        m.put("request.timeout.ms", "10000");
        m.put("buffer.memory", String.valueOf(64L * 1024 * 1024));
        m.put("max.block.ms", "10000");
        return m;
    }

    private static final Key<Boolean> ENABLED =
            Key.bool("enabled", true, "deploy the producer verticle (sluice.produce)");
    private static final Key<JsonObject> ROUTING = Key.raw(
            "routing",
            "—",
            "topic by code: {\"rules\":[{\"codes\":[300,"
                    + "...],\"topic\":\"mt-c300\"}],\"defaultTopic\":\"mt-c400\",\"priority\":{\"codes\":[300],\"topic\":"
                    + "\"high-priority\"}}; codes are never topics; an unknown code without defaultTopic is answered invalid");
    private static final Key<JsonObject> KEYS = Key.raw(
            "keys",
            "code:truckId",
            "{\"strategy\":\"code\"|\"truckId\"|"
                    + "\"code:truckId\",\"hotCodes\":{\"400\":8}} (a hot code's key becomes 400#n, n = hash(truckId) mod 8)");
    private static final Key<JsonObject> VALIDATION = Key.raw(
            "validation",
            "10240 bytes, id and timestamp required",
            "{\"maxEventBytes\":10240,\"requireEventId\":true,\"requireTimestamp\":true}");
    private static final Key<JsonObject> RATE = Key.raw(
            "rate",
            "unlimited",
            "token bucket {\"messagesPerSecond\","
                    + "\"bytesPerSecond\",\"burst\",\"maxWaitMs\":1000} (0 = unlimited); changeable at run time (PUT /api/rate)");
    private static final Key<String> DLQ_TOPIC =
            Key.string("dlqTopic", "sluice-producer-dlq", "invalid events, with reason headers");
    private static final Key<Integer> MAX_IN_FLIGHT_MESSAGES = Key.integer(
            "maxInFlightMessages",
            100_000,
            1,
            10_000_000,
            "unacknowledged sends; above it the answer is overloaded (or spooled)");
    private static final Key<Long> MAX_IN_FLIGHT_BYTES = Key.longInt(
            "maxInFlightBytes", 32L * 1024 * 1024, 1024, 4L * 1024 * 1024 * 1024, "the same bound in bytes");
    private static final Key<Long> FLUSH_TIMEOUT_MS =
            Key.longInt("flushTimeoutMs", 10_000, 0, 600_000, "graceful stop: wait this long for acknowledgements");
    private static final Key<Map<String, String>> KAFKA = Key.properties(
            "kafka",
            "producer property overrides "
                    + "(defaults: acks=all, idempotence, lz4, linger 5 ms, batch 64 KiB, delivery timeout 30 s)");
    private static final Key<Cfg> SPOOL = Key.object("spool", SpoolSettings.SECTION);
    /** {@code producer}. */
    public static final Section SECTION = Section.of(
            "the producer side: event bus and HTTP ingest to Kafka",
            ENABLED,
            ROUTING,
            KEYS,
            VALIDATION,
            RATE,
            DLQ_TOPIC,
            MAX_IN_FLIGHT_MESSAGES,
            MAX_IN_FLIGHT_BYTES,
            FLUSH_TIMEOUT_MS,
            KAFKA,
            SPOOL);

    public static ProducerSettings from(Cfg c) {
        boolean enabled = c.get(ENABLED);
        TopicRouter router = TopicRouter.fromJson(c.get(ROUTING), c.key("routing"));
        KeyResolver keys = KeyResolver.fromJson(c.get(KEYS), c.key("keys"));
        EventValidator validator = EventValidator.fromJson(c.get(VALIDATION), c.key("validation"));
        JsonObject rate = c.get(RATE);
        TokenBucket.fromJson(rate, c.key("rate"), System::nanoTime); // validate once, at start
        String dlq = c.get(DLQ_TOPIC);
        int maxMsgs = c.get(MAX_IN_FLIGHT_MESSAGES);
        long maxBytes = c.get(MAX_IN_FLIGHT_BYTES);
        long flush = c.get(FLUSH_TIMEOUT_MS);
        Map<String, String> kafka = new LinkedHashMap<>(defaultKafkaProperties());
        kafka.putAll(c.get(KAFKA));
        SpoolSettings spool = SpoolSettings.from(c.get(SPOOL));
        c.done();
        int inflightPerConn = Integer.parseInt(kafka.get("max.in.flight.requests.per.connection"));
        if ("true".equals(kafka.get("enable.idempotence")) && inflightPerConn > 5) {
            throw new io.sluice.config.ConfigException(
                    c.key("kafka.max.in.flight.requests.per.connection"),
                    "must be <= 5 with enable.idempotence=true, got " + inflightPerConn);
        }
        return new ProducerSettings(
                enabled, router, keys, validator, rate, dlq, maxMsgs, maxBytes, flush, Map.copyOf(kafka), spool);
    }
}
