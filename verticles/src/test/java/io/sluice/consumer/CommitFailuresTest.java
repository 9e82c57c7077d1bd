package io.sluice.consumer;

import static io.sluice.consumer.CommitFailures.Say.FIRST_FAILURE;
import static io.sluice.consumer.CommitFailures.Say.NONE;
import static io.sluice.consumer.CommitFailures.Say.RECOVERED;
import static io.sluice.consumer.CommitFailures.Say.STILL_FAILING;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommitFailuresTest {
    /** Ten failed commits a second for 65 s make three WARN lines, not 650, and one INFO at the end. */
    @Test
    void aLongRunOfFailuresIsLoggedAsAStartSummariesAndARecovery() {
        CommitFailures f = new CommitFailures(30_000);
        int warns = 0;
        for (long t = 0; t < 65_000; t += 100) {
            CommitFailures.Say say = f.failed(t);
            if (say != NONE) {
                warns++;
                assertThat(say).isEqualTo(t == 0 ? FIRST_FAILURE : STILL_FAILING);
            }
        }
        assertThat(warns).isEqualTo(3); // at 0, 30 s and 60 s
        assertThat(f.failures()).isEqualTo(650);
        assertThat(f.failingForMs(65_000)).isEqualTo(65_000);
        assertThat(f.succeeded()).isEqualTo(RECOVERED);
        assertThat(f.succeeded()).isEqualTo(NONE);
        assertThat(f.failed(70_000))
                .as("a new run starts with its own first WARN")
                .isEqualTo(FIRST_FAILURE);
    }

    @Test
    void successesWithoutFailuresSayNothing() {
        CommitFailures f = new CommitFailures(30_000);
        assertThat(f.succeeded()).isEqualTo(NONE);
        assertThat(f.failingForMs(5)).isZero();
    }
}
