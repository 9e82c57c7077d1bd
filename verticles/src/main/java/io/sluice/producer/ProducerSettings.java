package io.sluice.producer;

import io.sluice.config.Cfg;
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
public record ProducerSettings(boolean enabled, TopicRouter router, KeyResolver keys, EventValidator validator,
                               JsonObject rate, String dlqTopic, int maxInFlightMessages, long maxInFlightBytes,
                               long flushTimeoutMs, Map<String, String> kafka, SpoolSettings spool) {

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

    public static ProducerSettings from(Cfg c) {
        boolean enabled = c.bool("enabled", true);
        TopicRouter router = TopicRouter.fromJson(c.rawObject("routing"), c.key("routing"));
        KeyResolver keys = KeyResolver.fromJson(c.rawObject("keys"), c.key("keys"));
        EventValidator validator = EventValidator.fromJson(c.rawObject("validation"), c.key("validation"));
        JsonObject rate = c.rawObject("rate");
        TokenBucket.fromJson(rate, c.key("rate"), System::nanoTime); // validate once, at start
        String dlq = c.string("dlqTopic", "sluice-producer-dlq");
        int maxMsgs = c.intIn("maxInFlightMessages", 100_000, 1, 10_000_000);
        long maxBytes = c.longIn("maxInFlightBytes", 32L * 1024 * 1024, 1024, 4L * 1024 * 1024 * 1024);
        long flush = c.longIn("flushTimeoutMs", 10_000, 0, 600_000);
        Map<String, String> kafka = new LinkedHashMap<>(defaultKafkaProperties());
        kafka.putAll(c.properties("kafka"));
        SpoolSettings spool = SpoolSettings.from(c.child("spool"));
        c.done();
        int inflightPerConn = Integer.parseInt(kafka.get("max.in.flight.requests.per.connection"));
        if ("true".equals(kafka.get("enable.idempotence")) && inflightPerConn > 5) {
            throw new io.sluice.config.ConfigException(c.key("kafka.max.in.flight.requests.per.connection"),
                    "must be <= 5 with enable.idempotence=true, got " + inflightPerConn);
        }
        return new ProducerSettings(enabled, router, keys, validator, rate, dlq, maxMsgs, maxBytes, flush, Map.copyOf(kafka), spool);
    }
}
