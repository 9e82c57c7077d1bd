package io.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.consumer.ReplayPlan;
import io.sluice.consumer.ReplayRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The replay body: every mistake a 400 naming the field; the answer's shape. */
@Timeout(5)
class ReplayEndpointTest {
    private static final Set<String> FIELDS = Set.of("to", "timestamp", "offsets", "dryRun", "drainTimeoutMs");

    private static ReplayRequest parse(String json) {
        return ReplayEndpoint.parse(RequestBody.parse(Buffer.buffer(json), FIELDS, true));
    }

    private static void bad(String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(BadRequest.class).hasMessage(message);
    }

    @Test
    void validBodies() {
        assertThat(parse("{\"to\":\"timestamp\",\"timestamp\":1764662400000,\"dryRun\":true}"))
                .isEqualTo(new ReplayRequest(ReplayRequest.To.TIMESTAMP, 1764662400000L, Map.of(), true, 20_000));
        assertThat(parse("{\"to\":\"timestamp\",\"timestamp\":\"2025-12-02T08:00:00Z\"}")
                        .timestampMs())
                .isEqualTo(1764662400000L);
        assertThat(parse("{\"to\":\"earliest\",\"drainTimeoutMs\":500}"))
                .isEqualTo(new ReplayRequest(ReplayRequest.To.EARLIEST, -1, Map.of(), false, 500));
        assertThat(parse("{\"to\":\"offsets\",\"offsets\":[{\"topic\":\"t\",\"partition\":2,\"offset\":7}]}")
                        .offsets())
                .isEqualTo(Map.of(new TopicPartition("t", 2), 7L));
    }

    @Test
    void badBodiesNameTheField() {
        bad("{\"to\":\"yesterday\"}", "to: must be one of timestamp, earliest, latest, offsets");
        bad("{\"to\":\"timestamp\"}", "timestamp: is required with \"to\":\"timestamp\"");
        bad(
                "{\"to\":\"timestamp\",\"timestamp\":\"noon\"}",
                "timestamp: must be epoch milliseconds or an ISO-8601 instant, got \"noon\"");
        bad(
                "{\"to\":\"timestamp\",\"timestamp\":-5}",
                "timestamp: must be a whole number between 0 and " + Long.MAX_VALUE / 2 + ", got -5");
        bad("{\"to\":\"latest\",\"timestamp\":5}", "timestamp: applies to \"to\":\"timestamp\" only");
        bad(
                "{\"to\":\"offsets\"}",
                "offsets: must be an array of 1..10000 {\"topic\",\"partition\",\"offset\"} objects");
        bad(
                "{\"to\":\"offsets\",\"offsets\":[{\"topic\":\"t\",\"partition\":-1,\"offset\":7}]}",
                "offsets[0]: must be {\"topic\": name, \"partition\": n >= 0, \"offset\": n >= 0}");
        bad(
                "{\"to\":\"offsets\",\"offsets\":[{\"topic\":\"t\",\"partition\":1,\"offset\":7,\"x\":1}]}",
                "offsets[0]: must be {\"topic\": name, \"partition\": n >= 0, \"offset\": n >= 0}");
        bad("{\"to\":\"earliest\",\"dryRun\":\"yes\"}", "dryRun: must be true or false");
        bad(
                "{\"to\":\"earliest\",\"drainTimeoutMs\":1}",
                "drainTimeoutMs: must be a whole number between 100 and 300000, got 1");
        bad(
                "{\"to\":\"earliest\",\"seek\":1}",
                "seek: unknown field; allowed: drainTimeoutMs, dryRun, offsets, timestamp, to");
    }

    @Test
    void answerShape() {
        ReplayRequest r = new ReplayRequest(ReplayRequest.To.TIMESTAMP, 0, Map.of(), true, 100);
        JsonObject j = ReplayEndpoint.json(
                "standard", r, new ReplayPlan(List.of(new ReplayPlan.Row("t", 0, 9, 4, 0, 9, 5, 0)), List.of()));
        assertThat(j.encode())
                .isEqualTo("{\"pipeline\":\"standard\",\"dryRun\":true,\"to\":\"timestamp\",\"timestamp\":0,"
                        + "\"timestampIso\":\"1970-01-01T00:00:00Z\",\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"committed\":9,"
                        + "\"target\":4,\"beginning\":0,\"end\":9,\"redelivered\":5,\"skipped\":0}],\"redelivered\":5,\"skipped\":0,"
                        + "\"notAssigned\":[]}");
    }
}
