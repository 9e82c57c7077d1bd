package io.sluice.ops.partitions;

import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a running pipeline measures, read from its {@code /api/status}: the topic's rate per partition and its top
 * keys (the consumer's hot-key window), the function's p99, the effective batch, the ordering. Pure logic.
 *
 * @param topicRate       records/s of the topic over the window (0 when hot keys are off: see {@code ratesFrom})
 * @param partitionsSeen  partitions of the topic this instance polled in the window
 * @param maxPartition    the busiest partition ("topic-p") and its rate
 * @param hotKey          the key with the largest share of the topic's records (null: none seen)
 * @param hotShare        its share of the topic's records
 * @param hotKeys         every top key seen, with its share of the topic (for the placement of N → M)
 * @param deliveredPerSecond the pipeline's delivered records/s on this instance
 * @param hotKeyRate      the hottest key's records/s now
 */
record Measured(
        String pipeline,
        String topic,
        double topicRate,
        int partitionsSeen,
        String maxPartition,
        double maxPartitionRate,
        String hotKey,
        double hotShare,
        List<String> hotKeys,
        double p99Ms,
        double recordsPerBatch,
        double lanesPerBatch,
        String ordering,
        int lanes,
        int assigned,
        double deliveredPerSecond,
        String groupId,
        long windowSeconds,
        double hotKeyRate) {

    static Measured from(JsonObject status, String pipeline, String topic) {
        JsonArray pipelines = status.getJsonArray("pipelines", new JsonArray());
        JsonObject p = null;
        for (Object o : pipelines) {
            JsonObject x = (JsonObject) o;
            if (pipeline == null || pipeline.equals(x.getString("name"))) {
                p = x;
                break;
            }
        }
        if (p == null) {
            throw new ConfigException(
                    "--pipeline",
                    pipeline == null
                            ? "the instance runs no pipeline"
                            : "no pipeline '" + pipeline + "' on the instance");
        }
        String name = p.getString("name");
        if (!p.getJsonArray("topics", new JsonArray()).contains(topic)) {
            throw new ConfigException(
                    "--topic",
                    "pipeline " + name + " does not consume '" + topic + "' (it reads " + p.getJsonArray("topics")
                            + ")");
        }
        JsonObject hk = status.getJsonObject("hotKeys", new JsonObject());
        JsonObject window = hk.getJsonObject("consumer", new JsonObject()).getJsonObject(name, new JsonObject());
        double rate = 0;
        long records = 0;
        int seen = 0;
        String maxPart = null;
        double maxRate = -1;
        List<JsonObject> keys = new ArrayList<>();
        for (Object o : window.getJsonArray("partitions", new JsonArray())) {
            JsonObject part = (JsonObject) o;
            if (!topic.equals(part.getString("topic"))) {
                continue;
            }
            seen++;
            rate += part.getDouble("perSecond");
            records += part.getLong("records");
            if (part.getDouble("perSecond") > maxRate) {
                maxRate = part.getDouble("perSecond");
                maxPart = topic + "-" + part.getInteger("partition");
            }
            part.getJsonArray("keys").forEach(k -> keys.add((JsonObject) k));
        }
        keys.sort((a, b) -> Long.compare(b.getLong("records"), a.getLong("records")));
        String hot = keys.isEmpty() ? null : keys.get(0).getString("key");
        double share = keys.isEmpty() || records == 0 ? 0 : (double) keys.get(0).getLong("records") / records;
        JsonObject batching = p.getJsonObject("batching", new JsonObject());
        Double p99 = p.getJsonObject("invokeLatencyMs", new JsonObject()).getDouble("p99");
        int assigned = 0;
        for (Object o : p.getJsonArray("assignment", new JsonArray())) {
            String tp = (String) o;
            if (tp.substring(0, tp.lastIndexOf('-')).equals(topic)) {
                assigned++;
            }
        }
        return new Measured(
                name,
                topic,
                rate,
                seen,
                maxPart,
                Math.max(0, maxRate),
                hot,
                share,
                keys.stream().map(k -> k.getString("key")).distinct().toList(),
                p99 == null ? 0 : p99,
                batching.getDouble("meanRecords", 0.0),
                batching.getDouble("meanLanes", 1.0),
                p.getString("ordering", "partition"),
                p.getInteger("lanes", 1),
                assigned,
                p.getJsonObject("rates", new JsonObject()).getDouble("deliveredPerSecond", 0.0),
                p.getString("groupId"),
                hk.getLong("windowSeconds", 0L),
                keys.isEmpty() ? 0 : keys.get(0).getDouble("perSecond", 0.0));
    }

    /**
     * Records/s the busiest lane moves now: the busiest partition's rate in {@code partition} ordering; in {@code key}
     * ordering its rate over its lanes, or the hottest key's rate when higher (a key is one lane).
     */
    double busiestLaneRate() {
        return Math.max(maxPartitionRate / lanesPerPartition(), "key".equals(ordering) ? hotKeyRate : 0);
    }

    int lanesPerPartition() {
        return "key".equals(ordering) ? Math.max(1, lanes) : 1;
    }
}
