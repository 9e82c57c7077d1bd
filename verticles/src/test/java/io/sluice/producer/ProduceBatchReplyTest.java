package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProduceBatchReplyTest {

    @Test
    void theReplyIsHandedOverOnceWhenTheLastResultArrivesInAnyOrder() {
        List<ProduceBatchReply> replies = new ArrayList<>();
        ProduceBatchReply.Collector c = new ProduceBatchReply.Collector(3, replies::add);
        c.set(2, ProduceResult.failed(ProduceAnswer.RATE_LIMITED, "over 10 msg/s"));
        c.set(0, ProduceResult.accepted("t", 1, 7));
        assertThat(replies).isEmpty();
        assertThat(c.missing()).isEqualTo(1);
        c.set(1, ProduceResult.failed(ProduceAnswer.INVALID, "missing-field code: code is required"));
        assertThat(replies).hasSize(1);
        ProduceBatchReply r = replies.get(0);
        assertThat(r.results())
                .extracting(ProduceResult::answer)
                .containsExactly(ProduceAnswer.ACCEPTED, ProduceAnswer.INVALID, ProduceAnswer.RATE_LIMITED);
        assertThat(r.results().get(0).offset()).isEqualTo(7);
        assertThat(r.results().get(1).error()).isEqualTo("invalid: missing-field code: code is required");
        assertThat(r.count(ProduceAnswer.ACCEPTED)).isEqualTo(1);
        assertThatThrownBy(() -> r.results().set(0, null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aSecondResultForAnEventIsAnError() {
        ProduceBatchReply.Collector c = new ProduceBatchReply.Collector(2, r -> {});
        c.set(0, ProduceResult.accepted("t", 0, 1));
        assertThatThrownBy(() -> c.set(0, ProduceResult.accepted("t", 0, 2))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEmptyBatchIsAnsweredAtOnce() {
        List<ProduceBatchReply> replies = new ArrayList<>();
        new ProduceBatchReply.Collector(0, replies::add);
        assertThat(replies).singleElement().satisfies(r -> assertThat(r.size()).isZero());
    }

    @Test
    void resultsAreConsistent() {
        assertThatThrownBy(() -> ProduceResult.failed(ProduceAnswer.ACCEPTED, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProduceResult(ProduceAnswer.ACCEPTED, null, 0, 0, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ProduceResult.failed(ProduceAnswer.OVERLOADED, "full").error())
                .isEqualTo("overloaded: full");
    }
}
