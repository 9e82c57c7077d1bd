package io.sluice.ops.partitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MeasuredTest {
    static JsonObject status() {
        JsonArray parts = new JsonArray()
                .add(new JsonObject()
                        .put("topic", "a")
                        .put("partition", 0)
                        .put("records", 1_000)
                        .put("perSecond", 100.0)
                        .put(
                                "keys",
                                new JsonArray()
                                        .add(new JsonObject()
                                                .put("key", "hot")
                                                .put("records", 600)
                                                .put("perSecond", 60.0))))
                .add(new JsonObject()
                        .put("topic", "a")
                        .put("partition", 1)
                        .put("records", 1_000)
                        .put("perSecond", 100.0)
                        .put("keys", new JsonArray()))
                .add(new JsonObject()
                        .put("topic", "b")
                        .put("partition", 0)
                        .put("records", 9_000)
                        .put("perSecond", 900.0)
                        .put(
                                "keys",
                                new JsonArray()
                                        .add(new JsonObject()
                                                .put("key", "other")
                                                .put("records", 9_000))));
        return new JsonObject()
                .put(
                        "hotKeys",
                        new JsonObject()
                                .put("windowSeconds", 60)
                                .put("consumer", new JsonObject().put("p", new JsonObject().put("partitions", parts))))
                .put(
                        "pipelines",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("name", "p")
                                        .put("topics", new JsonArray(List.of("a", "b")))
                                        .put("groupId", "g")
                                        .put("ordering", "key")
                                        .put("lanes", 8)
                                        .put(
                                                "invokeLatencyMs",
                                                new JsonObject()
                                                        .put("p50", 20.0)
                                                        .put("p99", 120.0))
                                        .put(
                                                "batching",
                                                new JsonObject()
                                                        .put("meanRecords", 300.0)
                                                        .put("meanLanes", 6.0))
                                        .put("rates", new JsonObject().put("deliveredPerSecond", 1_100.0))
                                        .put("assignment", new JsonArray(List.of("a-0", "a-1", "b-0")))));
    }

    @Test
    void readsTheTopicsNumbersFromTheStatus() {
        Measured m = Measured.from(status(), null, "a");
        assertThat(m.pipeline()).isEqualTo("p");
        assertThat(m.topicRate()).isEqualTo(200.0);
        assertThat(m.partitionsSeen()).isEqualTo(2);
        assertThat(m.maxPartition()).isEqualTo("a-0");
        assertThat(m.hotKey()).isEqualTo("hot");
        assertThat(m.hotShare()).isCloseTo(0.3, within(1e-9)); // 600 of the topic's 2,000
        assertThat(m.p99Ms()).isEqualTo(120.0);
        assertThat(m.recordsPerBatch()).isEqualTo(300.0);
        assertThat(m.lanesPerBatch()).isEqualTo(6.0);
        assertThat(m.lanesPerPartition()).isEqualTo(8);
        assertThat(m.assigned()).isEqualTo(2);
        assertThat(m.groupId()).isEqualTo("g");
        assertThat(m.deliveredPerSecond()).isEqualTo(1_100.0);
        // key ordering: the busiest partition's 100/s over 8 lanes, or the hot key's 60/s on its one lane
        assertThat(m.busiestLaneRate()).isEqualTo(60.0);
    }

    @Test
    void namesAnUnknownPipelineOrTopic() {
        assertThatThrownBy(() -> Measured.from(status(), "x", "a"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--pipeline")
                .hasMessageContaining("no pipeline 'x'");
        assertThatThrownBy(() -> Measured.from(status(), null, "c"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--topic")
                .hasMessageContaining("does not consume 'c'");
    }

    @Test
    void theReportShowsTheInputsAndTheFormulasAnswer() {
        Measured m = Measured.from(status(), null, "a");
        PartitionPlan plan = new PartitionPlan(13_000, 0.12, 300, 6, 8, 0.01, 1_100, 0.7);
        String text = PlanReport.format(
                "http://x", m, new PlanPartitionsInputs(false, false, true, false, ""), plan, 12, 2, 0);
        assertThat(text)
                .contains("function latency p99  120.0 ms\n")
                .contains("hottest key           hot, 1.0% of the topic's records (given)")
                .contains(
                        "one lane              416.7 records/s (the larger of 50.0 records per lane / 0.120 s = 416.7/s and the"
                                + " busiest lane now: 0.0/s)")
                .contains("partitions needed     " + plan.partitions() + " ")
                .contains("doubling from 12: 12  (the current 12 suffice)")
                .doesNotContain("going from");
        String to24 = PlanReport.format(
                "http://x", m, new PlanPartitionsInputs(false, false, true, false, ""), plan, 12, 2, 24);
        assertThat(to24).contains("going from 12 to 24 partitions:").contains("hot                   partition ");
    }
}
