package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.producer.ProduceAnswer;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestAnswerTest {
    private static EventResult ok(int i) {
        return EventResult.accepted(i, "e" + i, "t", 0, i);
    }

    private static EventResult fail(int i, ProduceAnswer a) {
        return EventResult.failed(i, "e" + i, a, a.label() + ": x");
    }

    @Test
    void allAccepted202() {
        IngestAnswer a = IngestAnswer.of("c", List.of(ok(0), ok(1)));
        assertThat(a.status()).isEqualTo(202);
        assertThat(a.retryAfter()).isZero();
        assertThat(a.body().getString("status")).isEqualTo("accepted");
        assertThat(a.body().getInteger("accepted")).isEqualTo(2);
        assertThat(a.body().getJsonArray("results").getJsonObject(1).getLong("offset"))
                .isEqualTo(1L);
    }

    @Test
    void mixedWithOneAcceptedIs202Partial() {
        IngestAnswer a = IngestAnswer.of(
                "c", List.of(fail(0, ProduceAnswer.INVALID), ok(1), fail(2, ProduceAnswer.RATE_LIMITED)));
        assertThat(a.status()).isEqualTo(202);
        assertThat(a.retryAfter()).isEqualTo(1);
        assertThat(a.body().getString("status")).isEqualTo("partial");
        assertThat(a.body().getInteger("failed")).isEqualTo(2);
        assertThat(a.body().getJsonArray("results").getJsonObject(0).getString("status"))
                .isEqualTo("invalid");
    }

    @Test
    void noneAcceptedPicksServerSideThenRateLimitThenInvalid() {
        assertThat(IngestAnswer.of(
                                "c",
                                List.of(
                                        fail(0, ProduceAnswer.INVALID),
                                        fail(1, ProduceAnswer.UNAVAILABLE),
                                        fail(2, ProduceAnswer.RATE_LIMITED)))
                        .status())
                .isEqualTo(503);
        IngestAnswer limited =
                IngestAnswer.of("c", List.of(fail(0, ProduceAnswer.INVALID), fail(1, ProduceAnswer.RATE_LIMITED)));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.retryAfter()).isEqualTo(1);
        IngestAnswer invalid = IngestAnswer.of("c", List.of(fail(0, ProduceAnswer.INVALID)));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.retryAfter()).isZero();
        assertThat(invalid.body().getString("error")).isEqualTo("event 0: invalid: x");
        assertThat(IngestAnswer.of("c", List.of(fail(0, ProduceAnswer.OVERLOADED)))
                        .status())
                .isEqualTo(503);
        assertThat(IngestAnswer.of("c", List.of(fail(0, ProduceAnswer.STOPPING)))
                        .status())
                .isEqualTo(503);
    }

    @Test
    void classifyReadsTheLabelThenTheCode() {
        assertThat(EventResult.classify(503, "overloaded: more than")).isEqualTo(ProduceAnswer.OVERLOADED);
        assertThat(EventResult.classify(503, "stopping: bye")).isEqualTo(ProduceAnswer.STOPPING);
        assertThat(EventResult.classify(400, "invalid: wrong-type code: ...")).isEqualTo(ProduceAnswer.INVALID);
        assertThat(EventResult.classify(429, "something")).isEqualTo(ProduceAnswer.RATE_LIMITED);
        assertThat(EventResult.classify(500, null)).isEqualTo(ProduceAnswer.UNAVAILABLE);
    }
}
