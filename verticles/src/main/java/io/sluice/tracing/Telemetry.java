package io.sluice.tracing;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.cloudwatch.EmfPublisher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Starts and stops what {@link TelemetrySettings} turn on for one Vert.x instance: the {@link Tracing} the verticles
 * read at start ({@link Tracing#install}) and the CloudWatch EMF publisher. Start it before the verticles.
 */
public final class Telemetry {
    private final Vertx vertx;
    private final EmfPublisher emf;

    private Telemetry(Vertx vertx, EmfPublisher emf) {
        this.vertx = vertx;
        this.emf = emf;
    }

    public static Telemetry start(Vertx vertx, TelemetrySettings settings, MeterRegistry registry) {
        Tracing.install(vertx, Tracing.start(settings.tracing()));
        EmfPublisher emf = settings.cloudwatch().enabled() && registry != null
                ? new EmfPublisher(vertx, settings.cloudwatch(), registry, System.out).start()
                : null;
        return new Telemetry(vertx, emf);
    }

    /** Stops the publisher, exports the spans still queued and shuts the exporter down (bounded, on a worker). */
    public Future<Void> stop() {
        if (emf != null) {
            emf.stop();
        }
        return vertx.executeBlocking(
                () -> {
                    Tracing.uninstall(vertx);
                    return null;
                },
                false);
    }
}
