package io.sluice.lambda.record;

/**
 * A validated telemetry event (the Kafka record value).
 *
 * @param json the original event object as UTF-8 JSON text, all fields kept (one JSON object, nothing around it)
 * @param seq the optional per-key producer sequence, null when absent
 */
public record TelemetryEvent(byte[] json, String eventId, int code, String truckId, long timestamp, Long seq) {}
