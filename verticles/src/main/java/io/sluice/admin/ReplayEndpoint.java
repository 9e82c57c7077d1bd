package io.sluice.admin;

import io.sluice.consumer.ConsumerVerticle;
import io.sluice.consumer.ReplayPlan;
import io.sluice.consumer.ReplayRequest;
import io.sluice.pipeline.Pipeline;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/pipelines/{name}/replay} (bearer token; body bounded by the admin server's limit):
 * <pre>{@code
 * {"to": "timestamp" | "earliest" | "latest" | "offsets",
 *  "timestamp": 1764662400000 | "2026-12-02T08:00:00Z",          // for "timestamp"
 *  "offsets": [{"topic": "mt-c400", "partition": 3, "offset": 1200}], // for "offsets", at most 10,000
 *  "dryRun": true,                                                 // default false
 *  "drainTimeoutMs": 20000}                                        // 100..300000, default 20000
 * }</pre>
 * Answers {@code {"pipeline", "dryRun", "to", "partitions": [{topic, partition, committed, target, beginning, end,
 * redelivered, skipped}], "redelivered", "skipped", "notAssigned"}}; 400 bad body, 404 unknown pipeline, 409 not
 * running / a replay already running / in-flight records not final in time (nothing moved), 503 Kafka did not answer.
 */
final class ReplayEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayEndpoint.class);
    static final int MAX_OFFSETS = 10_000;
    private final Map<String, Pipeline> byName;

    ReplayEndpoint(Map<String, Pipeline> byName) {
        this.byName = byName;
    }

    void handle(RoutingContext ctx, java.util.function.Function<Future<ReplayPlan>, Future<ReplayPlan>> onContext) {
        String name = ctx.pathParam("name");
        Pipeline p = byName.get(name);
        if (p == null) {
            HttpErrors.send(ctx, 404, "unknown pipeline '" + name + "'; pipelines: " + byName.keySet());
            return;
        }
        ReplayRequest req = parse(RequestBody.parse(
                ctx.body().buffer(), Set.of("to", "timestamp", "offsets", "dryRun", "drainTimeoutMs"), true));
        ConsumerVerticle c = p.consumer();
        if (c == null || c.deploymentID() == null) {
            HttpErrors.send(ctx, 409, "pipeline " + name + " is not running");
            return;
        }
        LOG.info(
                "pipeline={} replay to {}{} by admin request from {}",
                name,
                req.to().configName(),
                req.dryRun() ? " (dry run)" : "",
                ctx.request().remoteAddress());
        onContext
                .apply(c.replay(req))
                .onSuccess(plan -> ctx.response()
                        .setStatusCode(200)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Cache-Control", "no-store")
                        .end(json(name, req, plan).encode()))
                .onFailure(err -> {
                    if (err instanceof IllegalStateException) {
                        HttpErrors.send(ctx, 409, "pipeline " + name + ": " + err.getMessage());
                    } else {
                        HttpErrors.send(ctx, 503, "pipeline " + name + ": replay failed: " + err);
                    }
                });
    }

    /** The request a body describes; every problem a {@link BadRequest} naming the field. */
    static ReplayRequest parse(RequestBody b) {
        Object to = b.json().getValue("to");
        ReplayRequest.To kind = to instanceof String s ? ReplayRequest.To.of(s) : null;
        if (kind == null) {
            throw new BadRequest("to", "must be one of timestamp, earliest, latest, offsets");
        }
        long ts = -1;
        if (kind == ReplayRequest.To.TIMESTAMP) {
            Object v = b.json().getValue("timestamp");
            if (v instanceof String s) {
                try {
                    ts = Instant.parse(s).toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw new BadRequest(
                            "timestamp", "must be epoch milliseconds or an ISO-8601 instant, got \"" + s + "\"");
                }
            } else if (v == null) {
                throw new BadRequest("timestamp", "is required with \"to\":\"timestamp\"");
            } else {
                ts = b.integer("timestamp", 0, 0, Long.MAX_VALUE / 2);
            }
        } else if (b.has("timestamp")) {
            throw new BadRequest("timestamp", "applies to \"to\":\"timestamp\" only");
        }
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        if (kind == ReplayRequest.To.OFFSETS) {
            Object v = b.json().getValue("offsets");
            if (!(v instanceof JsonArray arr) || arr.isEmpty() || arr.size() > MAX_OFFSETS) {
                throw new BadRequest(
                        "offsets",
                        "must be an array of 1.." + MAX_OFFSETS + " {\"topic\",\"partition\",\"offset\"} objects");
            }
            for (int i = 0; i < arr.size(); i++) {
                Object o = arr.getValue(i);
                if (!(o instanceof JsonObject jo)
                        || !(jo.getValue("topic") instanceof String topic)
                        || topic.isEmpty()
                        || !(jo.getValue("partition") instanceof Number part)
                        || part.intValue() < 0
                        || part.doubleValue() != part.intValue()
                        || !(jo.getValue("offset") instanceof Number off)
                        || off.longValue() < 0
                        || off.doubleValue() != Math.rint(off.doubleValue())
                        || jo.size() != 3) {
                    throw new BadRequest(
                            "offsets[" + i + "]",
                            "must be {\"topic\": name, \"partition\": n >= 0, " + "\"offset\": n >= 0}");
                }
                offsets.put(new TopicPartition(topic, part.intValue()), off.longValue());
            }
        } else if (b.has("offsets")) {
            throw new BadRequest("offsets", "applies to \"to\":\"offsets\" only");
        }
        Object dry = b.json().getValue("dryRun");
        if (dry != null && !(dry instanceof Boolean)) {
            throw new BadRequest("dryRun", "must be true or false");
        }
        long drain = b.integer("drainTimeoutMs", 20_000, 100, 300_000);
        return new ReplayRequest(kind, ts, offsets, Boolean.TRUE.equals(dry), drain);
    }

    static JsonObject json(String pipeline, ReplayRequest req, ReplayPlan plan) {
        JsonArray rows = new JsonArray();
        for (ReplayPlan.Row r : plan.partitions()) {
            rows.add(new JsonObject()
                    .put("topic", r.topic())
                    .put("partition", r.partition())
                    .put("committed", r.committed())
                    .put("target", r.target())
                    .put("beginning", r.beginning())
                    .put("end", r.end())
                    .put("redelivered", r.redelivered())
                    .put("skipped", r.skipped()));
        }
        JsonObject j = new JsonObject()
                .put("pipeline", pipeline)
                .put("dryRun", req.dryRun())
                .put("to", req.to().configName());
        if (req.to() == ReplayRequest.To.TIMESTAMP) {
            j.put("timestamp", req.timestampMs())
                    .put("timestampIso", Instant.ofEpochMilli(req.timestampMs()).toString());
        }
        return j.put("partitions", rows)
                .put("redelivered", plan.redelivered())
                .put("skipped", plan.skipped())
                .put("notAssigned", new JsonArray(plan.notAssigned()));
    }
}
