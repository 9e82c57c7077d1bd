package io.sluice.tls;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Clock;

/**
 * Rotation of an HTTP server's TLS material with the Kafka clients' watcher ({@link TlsWatcher}): changed files
 * that pass {@link TlsMaterialCheck} are applied to the running server ({@link HttpServer#updateSSLOptions});
 * material that fails is not applied (the server keeps the current one).
 */
public final class ServerTlsRotation {
    private final TlsWatcher watcher;

    private ServerTlsRotation(TlsWatcher watcher) {
        this.watcher = watcher;
    }

    /** Starts watching (no-op when TLS is off or {@code watchIntervalMs} is 0). Call on the server's context. */
    public static ServerTlsRotation start(
            Vertx vertx, ServerTls tls, HttpServer server, String fingerprint, Clock clock) {
        // the server's own status: its meters are not the Kafka client's certificate meters
        TlsStatus status = new TlsStatus(clock, new SimpleMeterRegistry());
        TlsWatcher w = new TlsWatcher(
                vertx,
                tls.material(),
                status,
                clock,
                null,
                fingerprint,
                report -> vertx.executeBlocking(() -> tls.sslOptions(clock), false)
                        .compose(server::updateSSLOptions)
                        .compose(updated -> updated
                                ? Future.<Void>succeededFuture()
                                : Future.failedFuture("the server did not take the new TLS options")));
        w.start();
        return new ServerTlsRotation(w);
    }

    public void stop() {
        watcher.stop();
    }
}
