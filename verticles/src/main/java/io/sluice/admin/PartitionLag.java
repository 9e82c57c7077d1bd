package io.sluice.admin;

import io.sluice.consumer.PartitionStatus;
import io.sluice.lag.LagVerdict;
import io.vertx.core.json.JsonObject;

/** One assigned partition as the admin API shows it: offsets, lag, in-flight, paused and lag status. */
public record PartitionLag(PartitionStatus status, LagVerdict verdict) {

    public JsonObject toJson() {
        PartitionStatus s = status;
        return new JsonObject()
                .put("topic", s.topic())
                .put("partition", s.partition())
                .put("committedOffset", s.committed())
                .put("endOffset", s.endOffset())
                .put("lagRecords", s.lagRecords())
                .put("lagSeconds", Math.round(s.lagSeconds() * 1000) / 1000.0)
                .put("inFlightRecords", s.inFlight())
                .put("paused", s.paused())
                .put("status", verdict.status().name())
                .put("statusReason", verdict.reason());
    }
}
