package io.sluice.pipeline;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Vertx;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The circuit breaker of one pipeline incarnation: opens after consecutive failed invocations and pauses consumption. */
final class PipelineBreaker {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineBreaker.class);

    private PipelineBreaker() {}

    /** @param pause called with {@code true} when the breaker opens, {@code false} when it closes */
    static CircuitBreaker create(Vertx vertx, PipelineSettings settings, Consumer<Boolean> pause) {
        CircuitBreaker b = CircuitBreaker.create(
                "sluice-" + settings.name(),
                vertx,
                new CircuitBreakerOptions()
                        .setMaxFailures(settings.breaker().maxFailures())
                        .setResetTimeout(settings.breaker().resetTimeoutMs())
                        .setTimeout(-1)
                        .setNotificationAddress(null));
        b.openHandler(v -> {
            LOG.warn(
                    "pipeline={} circuit breaker OPEN after {} consecutive failed invocations: pausing consumption",
                    settings.name(),
                    settings.breaker().maxFailures());
            pause.accept(true);
        });
        b.halfOpenHandler(
                v -> LOG.info("pipeline={} circuit breaker HALF-OPEN: probing the function", settings.name()));
        b.closeHandler(v -> {
            LOG.info("pipeline={} circuit breaker CLOSED: resuming consumption", settings.name());
            pause.accept(false);
        });
        return b;
    }

    /** 0 closed, 1 half-open, 2 open; 0 for none. */
    static int code(CircuitBreaker b) {
        if (b == null) {
            return 0;
        }
        return switch (b.state()) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    /** "closed", "half-open" or "open"; "closed" for none (between incarnations). */
    static String name(CircuitBreaker b) {
        return b == null ? "closed" : b.state().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
