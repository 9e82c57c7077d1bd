package io.sluice.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class LagEvaluatorTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LagEvaluator<String> eval = new LagEvaluator<>(4, now::get);

    private LagVerdict observe(long committed, long end, int inFlight) {
        now.addAndGet(1000);
        return eval.observe("t-0", committed, end, inFlight);
    }

    @Test
    void okUntilTheWindowIsFull() {
        assertThat(observe(0, 100, 0).status()).isEqualTo(LagStatus.OK);
        assertThat(observe(0, 200, 0).status()).isEqualTo(LagStatus.OK);
        assertThat(observe(0, 300, 0)).satisfies(v -> {
            assertThat(v.status()).isEqualTo(LagStatus.OK);
            assertThat(v.samples()).isEqualTo(3);
        });
        assertThat(observe(0, 400, 0).status()).isEqualTo(LagStatus.STOP);
    }

    @Test
    void caughtUpOnceInTheWindowIsOk() {
        observe(100, 100, 0);
        observe(100, 150, 10);
        observe(100, 200, 10);
        assertThat(observe(100, 250, 10).status()).isEqualTo(LagStatus.OK);
        // the zero-lag sample slides out: now stalled
        assertThat(observe(100, 300, 10).status()).isEqualTo(LagStatus.STALL);
    }

    @Test
    void commitsStoppedWithRecordsInFlightIsStall() {
        observe(50, 100, 30);
        observe(50, 100, 30);
        observe(50, 100, 30);
        LagVerdict v = observe(50, 110, 40);
        assertThat(v.status()).isEqualTo(LagStatus.STALL);
        assertThat(v.reason()).contains("no commit for 3000 ms").contains("40 record(s) in flight");
    }

    @Test
    void commitsStoppedWithNothingInFlightIsStop() {
        observe(50, 100, 0);
        observe(50, 120, 0);
        observe(50, 140, 0);
        assertThat(observe(50, 160, 0).status()).isEqualTo(LagStatus.STOP);
    }

    @Test
    void committingButLagRisingEveryIntervalIsWarn() {
        observe(100, 200, 50); // lag 100
        observe(150, 300, 50); // 150
        observe(200, 400, 50); // 200
        assertThat(observe(250, 500, 50).status()).isEqualTo(LagStatus.WARN); // 250
    }

    @Test
    void lagThatDipsOnceInTheWindowIsOk() {
        observe(100, 200, 50); // 100
        observe(150, 300, 50); // 150
        observe(260, 400, 50); // 140 (dip)
        assertThat(observe(300, 500, 50).status()).isEqualTo(LagStatus.OK); // 200
    }

    @Test
    void flatLagWhileCommittingIsOk() {
        observe(100, 200, 50);
        observe(200, 300, 50);
        observe(300, 400, 50);
        assertThat(observe(400, 500, 50).status()).isEqualTo(LagStatus.OK);
    }

    @Test
    void recoveryReturnsToOk() {
        for (int i = 0; i < 4; i++) {
            observe(10, 100 + i * 100, 20);
        }
        assertThat(eval.evaluate("t-0").status()).isEqualTo(LagStatus.STALL);
        assertThat(observe(300, 500, 20).status())
                .as("commits resumed, lag falling")
                .isEqualTo(LagStatus.OK);
    }

    @Test
    void unknownEndOffsetCountsAsNoLag() {
        assertThat(new LagSample(0, 5, -1, 0).lagRecords()).isZero();
        assertThat(new LagSample(0, -1, 40, 0).lagRecords()).isEqualTo(40);
        assertThat(new LagSample(0, 50, 40, 0).lagRecords()).isZero();
    }

    @Test
    void aRewindStartsTheWindowOver() {
        for (int i = 0; i < 4; i++) {
            observe(500, 600 + i, 0);
        }
        assertThat(eval.evaluate("t-0").status()).isEqualTo(LagStatus.STOP);
        LagVerdict v = observe(10, 700, 0);
        assertThat(v.status()).isEqualTo(LagStatus.OK);
        assertThat(v.samples()).isEqualTo(1);
    }

    @Test
    void partitionsAreIndependentAndCanBeForgotten() {
        for (int i = 0; i < 4; i++) {
            now.addAndGet(1000);
            eval.observe("a", 0, 100, 0);
            eval.observe("b", i * 100L, i * 100L, 0);
        }
        assertThat(eval.evaluate("a").status()).isEqualTo(LagStatus.STOP);
        assertThat(eval.evaluate("b").status()).isEqualTo(LagStatus.OK);
        assertThat(eval.retain(Set.of("b"))).containsExactly("a");
        assertThat(eval.evaluate("a").samples()).isZero();
    }

    @Test
    void rejectsATooSmallWindow() {
        assertThatThrownBy(() -> new LagEvaluator<String>(2, now::get)).hasMessageContaining(">= 3");
    }
}
