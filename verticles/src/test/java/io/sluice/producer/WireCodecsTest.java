package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WireCodecsTest {
    @Test
    void aBatchCrossesTheWireWithEachEventInItsForm() {
        JsonObject obj = new JsonObject().put("eventId", "a-1").put("code", 400).put("truckId", "T-1");
        Buffer buf = Buffer.buffer("{\"eventId\":\"a-2\",\"code\":300,\"truckId\":\"é\"}");
        String str = "{\"eventId\":\"a-3\",\"code\":301,\"truckId\":\"T-3\"}";
        Buffer wire = Buffer.buffer().appendString("prefix");
        WireCodecs.encodeBatch(wire, new ProduceBatch(List.of(obj, buf, str)));
        ProduceBatch back = WireCodecs.decodeBatch(6, wire);
        assertThat(back.events()).hasSize(3);
        assertThat(back.events().get(0)).isEqualTo(obj);
        assertThat(back.events().get(1)).isEqualTo(buf);
        assertThat(back.events().get(2)).isEqualTo(str);
    }

    @Test
    void anEventOfAnotherTypeCannotLeaveTheJvm() {
        assertThatThrownBy(
                        () -> WireCodecs.encodeBatch(Buffer.buffer(), new ProduceBatch(List.of(new JsonObject(), 42))))
                .hasMessageContaining("event 1")
                .hasMessageContaining("java.lang.Integer");
    }

    @Test
    void aReplyKeepsEveryResultAndItsOrder() {
        ProduceBatchReply[] reply = new ProduceBatchReply[1];
        ProduceBatchReply.Collector c = new ProduceBatchReply.Collector(4, r -> reply[0] = r);
        c.set(0, ProduceResult.accepted("mt-c400", 7, 123_456_789_012L));
        c.set(1, ProduceResult.failed(ProduceAnswer.INVALID, "missing-field code: code is required"));
        c.set(2, ProduceResult.failed(ProduceAnswer.STOPPING, "the producer is shutting down"));
        c.set(3, ProduceResult.spooled("mt-c300")); // durably in the producer's spool (issue 16)
        Buffer wire = Buffer.buffer();
        WireCodecs.encodeReply(wire, reply[0]);
        ProduceBatchReply back = WireCodecs.decodeReply(0, wire);
        assertThat(back.results()).containsExactlyElementsOf(reply[0].results());
        assertThat(back.results().get(2).error()).isEqualTo("stopping: the producer is shutting down");
    }
}
