package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The quiet window at the end of a stop: it lasts while remote requests keep arriving, and it is bounded. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RemoteGateTest {

    @Test
    void theWindowLastsWhileRemoteRequestsArriveAndEndsOnceTheyStop(Vertx vertx) {
        RemoteGate g = new RemoteGate(vertx, new RemoteAccess(List.of("app")));
        g.stopping();
        Future<Void> quiet = g.quiet(300, 20_000);
        AtomicInteger ticks = new AtomicInteger();
        AtomicLong lastRequest = new AtomicLong();
        AtomicBoolean endedEarly = new AtomicBoolean();
        vertx.setPeriodic(
                50,
                id -> { // a remote request every 50 ms, 20 of them
                    if (quiet.isComplete()) {
                        endedEarly.set(true);
                    }
                    g.sawRemote();
                    lastRequest.set(System.nanoTime());
                    if (ticks.incrementAndGet() == 20) {
                        vertx.cancelTimer(id);
                    }
                });
        await().atMost(Duration.ofSeconds(10)).until(quiet::isComplete);
        long after = System.nanoTime() - lastRequest.get();
        assertThat(ticks.get()).isEqualTo(20);
        assertThat(endedEarly).as("ended while requests still arrived").isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(after))
                .as("ended only after 300 ms without a request")
                .isGreaterThanOrEqualTo(295);
    }

    @Test
    void theWindowIsBoundedWhateverCallersDo(Vertx vertx) {
        RemoteGate g = new RemoteGate(vertx, new RemoteAccess(List.of("app")));
        g.stopping();
        long t0 = System.nanoTime();
        Future<Void> quiet = g.quiet(300, 800);
        long timer = vertx.setPeriodic(20, id -> g.sawRemote());
        await().atMost(Duration.ofSeconds(5)).until(quiet::isComplete);
        vertx.cancelTimer(timer);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(795);
    }
}
