package io.sluice.ops.hotkeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HotKeysReportTest {
    private static JsonObject side(String topic) {
        return new JsonObject()
                .put("spanSeconds", 55.0)
                .put("records", 1_000)
                .put("unkeyed", 0)
                .put(
                        "partitions",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("topic", topic)
                                        .put("partition", 3)
                                        .put("records", 1_000)
                                        .put("unkeyed", 0)
                                        .put("perSecond", 18.2)
                                        .put(
                                                "keys",
                                                new JsonArray()
                                                        .add(new JsonObject()
                                                                .put("key", "300:TRK-1")
                                                                .put("share", 0.3125)
                                                                .put("perSecond", 5.7))
                                                        .add(new JsonObject()
                                                                .put("key", "301:TRK-2")
                                                                .put("share", 0.05)
                                                                .put("perSecond", 0.9)))));
    }

    @Test
    void tablesPerSideFilteredByTopicAndTop() {
        JsonObject hk = new JsonObject()
                .put("enabled", true)
                .put("windowSeconds", 60)
                .put("intervalSeconds", 5)
                .put("producer", side("mt-c400"))
                .put("consumer", new JsonObject().put("standard", side("mt-c300")));
        String all = HotKeysReport.format(hk, "all", null, null, 1);
        assertThat(all)
                .contains("hot keys per partition (window 60 s in slices of 5 s)")
                .contains("producer (acknowledged sends): 1000 records over 55.0 s, 0 unkeyed")
                .contains("  mt-c400                  3       18.2  300:TRK-1                  31.3%       5.7")
                .contains("consumer, pipeline standard (polled records)")
                .doesNotContain("301:TRK-2");
        String consumerOnly = HotKeysReport.format(hk, "consumer", "standard", "mt-c300", 2);
        assertThat(consumerOnly).doesNotContain("producer (").contains("301:TRK-2");
        assertThat(HotKeysReport.format(hk, "all", null, "nope", 2)).doesNotContain("TRK");
    }

    @Test
    void saysWhenThereIsNothingToShow() {
        assertThat(HotKeysReport.format(null, "all", null, null, 3)).contains("reports no hot keys");
        assertThat(HotKeysReport.format(new JsonObject().put("enabled", false), "all", null, null, 3))
                .contains("hotKeys.enabled=false");
        JsonObject empty = new JsonObject()
                .put("enabled", true)
                .put("windowSeconds", 60)
                .put("intervalSeconds", 5)
                .put("producer", new JsonObject().put("partitions", new JsonArray()))
                .put("consumer", new JsonObject());
        assertThat(HotKeysReport.format(empty, "all", null, null, 3))
                .contains("producer (acknowledged sends): no records in the window");
    }
}
