package io.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AuthThrottle t = new AuthThrottle(now::get);

    @Test
    void fiveFreeGuessesThenDoublingLockOutsPerClient() {
        for (int i = 0; i < AuthThrottle.FREE; i++) {
            assertThat(t.failed("a")).isZero();
            assertThat(t.waitMs("a")).isZero();
        }
        assertThat(t.failed("a")).isEqualTo(1_000);
        assertThat(t.waitMs("a")).isEqualTo(1_000);
        assertThat(t.waitMs("b")).as("another client").isZero();
        now.addAndGet(1_000);
        assertThat(t.waitMs("a")).isZero();
        assertThat(t.failed("a")).isEqualTo(2_000);
        assertThat(t.failed("a")).isEqualTo(4_000);
        for (int i = 0; i < 40; i++) {
            t.failed("a");
        }
        assertThat(t.waitMs("a")).isEqualTo(AuthThrottle.MAX_LOCK_MS);
    }

    @Test
    void aRightTokenOrLongQuietClearsTheRecordAndTrackingIsBounded() {
        for (int i = 0; i < 8; i++) {
            t.failed("a");
        }
        t.succeeded("a");
        assertThat(t.waitMs("a")).isZero();
        for (int i = 0; i < 8; i++) {
            t.failed("b");
        }
        now.addAndGet(AuthThrottle.FORGET_MS + 1);
        assertThat(t.waitMs("b")).isZero();
        for (int i = 0; i < AuthThrottle.MAX_CLIENTS + 50; i++) {
            t.failed("c" + i);
        }
        assertThat(t.tracked()).isEqualTo(AuthThrottle.MAX_CLIENTS);
    }
}
