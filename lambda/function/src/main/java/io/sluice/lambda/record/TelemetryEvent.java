package io.sluice.lambda.record;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated telemetry event (the Kafka record value).
 *
 * @param json the original event object, all fields kept
 * @param seq the optional per-key producer sequence, null when absent
 */
public record TelemetryEvent(ObjectNode json, String eventId, int code, String truckId, long timestamp, Long seq) {}
