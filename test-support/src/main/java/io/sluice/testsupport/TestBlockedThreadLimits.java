package io.sluice.testsupport;

import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import java.util.concurrent.TimeUnit;

/**
 * Tightens the blocked-thread limit of every Vert.x instance the tests build ({@code Vertx.vertx()} in the
 * harnesses included) when {@code -D}{@value #MAX_EVENT_LOOP_MS}{@code =<ms>} is set: Vert.x's checker then
 * warns about an event loop busy for longer than that (default 2,000 ms), and checks at least twice per limit.
 * Without the property nothing changes; a limit a test set lower itself is kept.
 *
 * <p>Loaded by Vert.x through {@code META-INF/services/io.vertx.core.spi.VertxServiceProvider} (its
 * {@code VertxBootstrap.init()} calls every provider before the instance, and its checker, exist). Test scope
 * only: this jar is not part of the fat jar, so a child process keeps Vert.x's defaults.
 */
public final class TestBlockedThreadLimits implements VertxServiceProvider {

    /** System property: the event-loop limit in milliseconds for the tests' Vert.x instances (unset: Vert.x's 2 s). */
    public static final String MAX_EVENT_LOOP_MS = "sluice.test.maxEventLoopExecuteTimeMs";

    @Override
    public void init(VertxBootstrap bootstrap) {
        Long limitMs = Long.getLong(MAX_EVENT_LOOP_MS);
        if (limitMs != null && limitMs > 0) {
            tighten(bootstrap.options(), limitMs);
        }
    }

    /** Lowers {@code options}' event-loop limit to {@code limitMs} (never raises it) and the check interval to half. */
    static void tighten(VertxOptions options, long limitMs) {
        long currentMs = options.getMaxEventLoopExecuteTimeUnit().toMillis(options.getMaxEventLoopExecuteTime());
        if (limitMs < currentMs) {
            options.setMaxEventLoopExecuteTime(limitMs).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS);
        }
        long intervalMs = options.getBlockedThreadCheckIntervalUnit().toMillis(options.getBlockedThreadCheckInterval());
        long wantedMs = Math.max(10, Math.min(limitMs, currentMs) / 2);
        if (wantedMs < intervalMs) {
            options.setBlockedThreadCheckInterval(wantedMs).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS);
        }
    }
}
