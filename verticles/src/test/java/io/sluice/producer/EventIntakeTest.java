package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.Cfg;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class EventIntakeTest {
    private long now = 1_000_000_000_000L;

    private static JsonObject event(int code) {
        return new JsonObject()
                .put("eventId", "e-" + code)
                .put("code", code)
                .put("truckId", "T-1")
                .put("timestamp", 1_700_000_000_000L);
    }

    private EventIntake intake(JsonObject producer) {
        JsonObject conf = producer.copy()
                .put(
                        "routing",
                        new JsonObject()
                                .put(
                                        "rules",
                                        new io.vertx.core.json.JsonArray()
                                                .add(new JsonObject()
                                                        .put("codes", new io.vertx.core.json.JsonArray().add(301))
                                                        .put("topic", "mt-c300"))));
        ProducerSettings s = ProducerSettings.from(new Cfg(conf, "producer"));
        return new EventIntake(s, TokenBucket.fromJson(s.rate(), "producer.rate", () -> now));
    }

    @Test
    void validEventsOfEveryFormBecomeKeyedRecordsWithTheCorrelationHeader() {
        EventIntake in = intake(new JsonObject());
        JsonObject e = event(301);
        for (Object body : new Object[] {e, e.toBuffer(), e.encode()}) {
            ProduceDecision d = in.decide(body, "cid-1");
            assertThat(d).isInstanceOf(ProduceDecision.Send.class);
            ProducerRecord<byte[], byte[]> r = ((ProduceDecision.Send) d).record();
            assertThat(r.topic()).isEqualTo("mt-c300");
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo(e.encode());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isNotBlank();
            assertThat(new String(r.headers().lastHeader("correlation-id").value(), StandardCharsets.UTF_8))
                    .isEqualTo("cid-1");
            assertThat(((ProduceDecision.Send) d).waitNanos()).isZero();
        }
        assertThat(in.inFlightMessages()).isEqualTo(3);
        assertThat(in.inFlightBytes()).isEqualTo(3L * e.encode().length());
        assertThat(((ProduceDecision.Send) in.decide(e, null))
                        .record()
                        .headers()
                        .toArray())
                .isEmpty();
    }

    @Test
    void invalidAndUnroutableEventsAreRejectedWithTheirBytesAndTakeAnInFlightShare() {
        EventIntake in = intake(new JsonObject());
        ProduceDecision bad = in.decide(Buffer.buffer("{\"code\":\"x\"}"), null);
        assertThat(bad).isInstanceOf(ProduceDecision.Reject.class);
        assertThat(((ProduceDecision.Reject) bad).invalid().reason()).isEqualTo(ValidationResult.WRONG_TYPE);
        assertThat(new String(((ProduceDecision.Reject) bad).raw(), StandardCharsets.UTF_8))
                .isEqualTo("{\"code\":\"x\"}");
        ProduceDecision unknown = in.decide(event(999), null);
        assertThat(((ProduceDecision.Reject) unknown).invalid().reason()).isEqualTo(ValidationResult.UNKNOWN_CODE);
        assertThat(((ProduceDecision.Reject) in.decide(42, null)).invalid().reason())
                .isEqualTo(ValidationResult.NOT_JSON_OBJECT);
        ProduceDecision nul = in.decide(null, null);
        assertThat(((ProduceDecision.Reject) nul).invalid().reason()).isEqualTo(ValidationResult.NOT_JSON_OBJECT);
        assertThat(in.inFlightMessages())
                .as("each DLQ send holds an in-flight share")
                .isEqualTo(4);
        for (ProduceDecision d : new ProduceDecision[] {bad, unknown, nul}) {
            in.releaseRejected((ProduceDecision.Reject) d);
        }
        assertThat(in.inFlightMessages()).isEqualTo(1);
    }

    @Test
    void theInFlightBoundRefusesUntilARecordIsReleased() {
        EventIntake in = intake(new JsonObject().put("maxInFlightMessages", 2));
        ProduceDecision.Send first = (ProduceDecision.Send) in.decide(event(301), null);
        in.decide(event(301), null);
        ProduceDecision third = in.decide(event(301), null);
        assertThat(third).isInstanceOf(ProduceDecision.Refuse.class);
        assertThat(((ProduceDecision.Refuse) third).answer()).isEqualTo(ProduceAnswer.OVERLOADED);
        in.release(first.record());
        assertThat(in.inFlightMessages()).isEqualTo(1);
        assertThat(in.decide(event(301), null)).isInstanceOf(ProduceDecision.Send.class);
    }

    @Test
    void invalidEventsGoToTheDlqOnlyInsideTheInFlightBound() {
        EventIntake in = intake(new JsonObject().put("maxInFlightMessages", 2));
        ProduceDecision first = in.decide(Buffer.buffer("{\"code\":\"x\"}"), null);
        ProduceDecision second = in.decide(Buffer.buffer("{\"code\":\"y\"}"), null);
        assertThat(first).isInstanceOf(ProduceDecision.Reject.class);
        assertThat(second).isInstanceOf(ProduceDecision.Reject.class);
        ProduceDecision third = in.decide(Buffer.buffer("{\"code\":\"z\"}"), null);
        assertThat(third)
                .as("a third invalid event while two DLQ sends are in flight")
                .isInstanceOf(ProduceDecision.Refuse.class);
        assertThat(((ProduceDecision.Refuse) third).answer()).isEqualTo(ProduceAnswer.OVERLOADED);
        assertThat(in.inFlightMessages()).isEqualTo(2);
        in.releaseRejected((ProduceDecision.Reject) first);
        assertThat(in.inFlightMessages()).isEqualTo(1);
        assertThat(in.decide(event(999), null)).isInstanceOf(ProduceDecision.Reject.class);
    }

    @Test
    void theInFlightByteBoundCountsEachEventsEncodedSize() {
        int size = event(301).encode().length();
        EventIntake in = intake(new JsonObject().put("maxInFlightBytes", 1024));
        int fits = 1024 / size;
        for (int i = 0; i < fits; i++) {
            assertThat(in.decide(event(301), null)).isInstanceOf(ProduceDecision.Send.class);
        }
        assertThat(((ProduceDecision.Refuse) in.decide(event(301), null)).answer())
                .isEqualTo(ProduceAnswer.OVERLOADED);
    }

    @Test
    void theTokenBucketDelaysWithinTheAllowedWaitThenRefusesPerEvent() {
        EventIntake in = intake(new JsonObject()
                .put(
                        "rate",
                        new JsonObject()
                                .put("messagesPerSecond", 1000)
                                .put("burst", 2)
                                .put("maxWaitMs", 2)));
        assertThat(((ProduceDecision.Send) in.decide(event(301), null)).waitNanos())
                .isZero();
        assertThat(((ProduceDecision.Send) in.decide(event(301), null)).waitNanos())
                .isZero();
        assertThat(((ProduceDecision.Send) in.decide(event(301), null)).waitNanos())
                .isEqualTo(1_000_000L);
        assertThat(((ProduceDecision.Send) in.decide(event(301), null)).waitNanos())
                .isEqualTo(2_000_000L);
        ProduceDecision limited = in.decide(event(301), null);
        assertThat(((ProduceDecision.Refuse) limited).answer()).isEqualTo(ProduceAnswer.RATE_LIMITED);
        assertThat(in.inFlightMessages())
                .as("a refused event takes no in-flight share")
                .isEqualTo(4);
        now += 10_000_000L;
        assertThat(in.decide(event(301), null)).isInstanceOf(ProduceDecision.Send.class);
    }
}
