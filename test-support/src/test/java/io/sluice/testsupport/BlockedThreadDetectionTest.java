package io.sluice.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The detector end to end on a real Vert.x with a low limit: an event loop held past it is logged by Vert.x's
 * checker, recorded by the appender with the blocked thread's stack, and reported naming the thread and the
 * blocking frame. The appender writes to this test's own log (not the global one), so nothing else sees it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BlockedThreadDetectionTest {
    private final BlockedThreadLog log = new BlockedThreadLog();
    private final BlockedThreadAppender appender = new BlockedThreadAppender(log);
    private Logger checkerLogger;
    private Vertx vertx;

    @BeforeEach
    void attach() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        appender.setContext(ctx);
        appender.start();
        checkerLogger = ctx.getLogger(BlockedThreadWarning.CHECKER_LOGGER);
        checkerLogger.addAppender(appender);
        vertx = Vertx.vertx(new VertxOptions()
                .setBlockedThreadCheckInterval(100)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setMaxEventLoopExecuteTime(200)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    }

    @AfterEach
    void detach() throws Exception {
        checkerLogger.detachAppender(appender);
        appender.stop();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anEventLoopHeldPastTheLimitIsRecordedAndReportedWithItsThreadAndStack() throws Exception {
        int mark = log.mark();
        CountDownLatch reported = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        String[] loopThread = new String[1];

        // Holds the event loop until the checker has warned (bounded: 10 s at most).
        vertx.runOnContext(v -> {
            loopThread[0] = Thread.currentThread().getName();
            holdTheEventLoop(reported);
            released.countDown();
        });
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !log.unreportedSince(mark).isEmpty());
        reported.countDown();
        // the checker may warn again while the loop wakes up (a busy machine): read the warnings once it is free
        assertThat(released.await(10, TimeUnit.SECONDS)).isTrue();

        List<BlockedThreadWarning> ws = log.unreportedSince(mark);
        BlockedThreadWarning first = ws.get(0);
        assertThat(first.thread()).isEqualTo(loopThread[0]).startsWith("vert.x-eventloop-thread-");
        assertThat(first.limitMs()).isEqualTo(200);
        assertThat(first.blockedMs()).isGreaterThanOrEqualTo(200);
        assertThat(first.stack())
                .as("the stack sampled while the loop was held")
                .anyMatch(f -> f.contains("BlockedThreadDetectionTest.holdTheEventLoop"));

        String report = BlockedThreadReport.describe("BlockedThreadDetectionTest#demo", ws);
        assertThat(report)
                .contains("Vert.x's blocked-thread checker warned during BlockedThreadDetectionTest#demo")
                .contains(loopThread[0] + ": blocked for up to ")
                .contains("limit 200 ms")
                .contains("at java.util.concurrent.CountDownLatch.await(")
                .contains("BlockedThreadDetectionTest.holdTheEventLoop");

        log.markReported(ws);
        assertThat(log.unreportedSince(mark)).as("reported once only").doesNotContainAnyElementsOf(ws);
    }

    @Test
    void anEventLoopWithinTheLimitIsNotReported() throws Exception {
        int mark = log.mark();
        // Blocking work on a worker, then a 300 ms timer: waiting longer than the limit is not blocking the loop.
        vertx.executeBlocking(() -> "off the loop")
                .compose(v -> vertx.timer(300))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(log.unreportedSince(mark)).isEmpty();
    }

    @Test
    void thePropertyTightensTheLimitOfAVertxBuiltWithDefaults() throws Exception {
        System.setProperty(TestBlockedThreadLimits.MAX_EVENT_LOOP_MS, "150");
        Vertx defaults;
        try {
            defaults = Vertx.vertx(); // as the harnesses build theirs
        } finally {
            System.clearProperty(TestBlockedThreadLimits.MAX_EVENT_LOOP_MS);
        }
        try {
            int mark = log.mark();
            CountDownLatch reported = new CountDownLatch(1);
            defaults.runOnContext(v -> holdTheEventLoop(reported));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !log.unreportedSince(mark).isEmpty());
            reported.countDown();

            assertThat(log.unreportedSince(mark).get(0).limitMs())
                    .as("Vert.x's default is 2000 ms")
                    .isEqualTo(150);
        } finally {
            defaults.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theLimitIsOnlyEverLowered() {
        VertxOptions strict = new VertxOptions()
                .setMaxEventLoopExecuteTime(100)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS);
        TestBlockedThreadLimits.tighten(strict, 500);
        assertThat(strict.getMaxEventLoopExecuteTimeUnit().toMillis(strict.getMaxEventLoopExecuteTime()))
                .isEqualTo(100);

        VertxOptions defaults = new VertxOptions();
        TestBlockedThreadLimits.tighten(defaults, 500);
        assertThat(defaults.getMaxEventLoopExecuteTimeUnit().toMillis(defaults.getMaxEventLoopExecuteTime()))
                .isEqualTo(500);
        assertThat(defaults.getBlockedThreadCheckIntervalUnit().toMillis(defaults.getBlockedThreadCheckInterval()))
                .isEqualTo(250);
    }

    private static void holdTheEventLoop(CountDownLatch reported) {
        try {
            reported.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
