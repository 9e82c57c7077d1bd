package io.sluice.launcher;

import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.embedded.EmbeddedKafkaOptions;
import io.sluice.locallambda.LocalLambdaOptions;
import io.sluice.locallambda.LocalLambdaServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local-only parts: the embedded Kafka broker (a child JVM) and the local Lambda endpoint hosting the dispatcher
 * function. The only class of the launcher that uses them, so the EC2 jar ({@code sluice-ec2.jar}) leaves them and this
 * class out: {@link SluiceVerticle} creates it only when the config asks for local mode, after checking by name that
 * the jar carries them.
 */
final class LocalMode {
    private static final Logger LOG = LoggerFactory.getLogger(LocalMode.class);
    private volatile EmbeddedKafkaCluster broker;
    private volatile LocalLambdaServer lambda;

    LocalMode() {}

    /** Starts the embedded broker (blocking work off the event loop) and returns its bootstrap servers. */
    Future<String> startBroker(Vertx vertx, SluiceConfig.EmbeddedSettings e) {
        return vertx.executeBlocking(() -> {
            // Closed by stop(), after the clients are done (the JVM-exit hook would race our own shutdown).
            EmbeddedKafkaOptions.Builder b = EmbeddedKafkaOptions.builder()
                    .nodes(e.nodes())
                    .closeOnJvmExit(false)
                    .heap(e.heapMb() / 2 + "m", e.heapMb() + "m");
            if (e.dataDir() != null) {
                b.baseDir(Path.of(e.dataDir()));
            }
            long t0 = System.nanoTime();
            EmbeddedKafkaCluster c = EmbeddedKafkaCluster.start(b.build());
            LOG.info(
                    "Embedded Kafka ({} node(s)) ready at {} in {} ms",
                    e.nodes(),
                    c.bootstrapServers(),
                    (System.nanoTime() - t0) / 1_000_000);
            broker = c;
            return c.bootstrapServers();
        });
    }

    /** Starts the local Lambda endpoint and returns its URL. */
    Future<String> startLambda(Vertx vertx, SluiceConfig.LocalLambdaSettings l) {
        LocalLambdaOptions opts = LocalLambdaOptions.defaults()
                .withPort(l.port())
                .withDispatcherFunctionName(l.functionName())
                .withConcurrency(l.concurrency());
        return LocalLambdaServer.start(vertx, opts).map(server -> {
            lambda = server;
            LOG.info("Local Lambda endpoint at {} hosting '{}'", server.endpoint(), l.functionName());
            return server.endpoint();
        });
    }

    Future<Void> closeLambda() {
        LocalLambdaServer s = lambda;
        return s == null ? Future.succeededFuture() : s.close();
    }

    /** Stops the embedded broker (blocking). */
    void closeBroker() {
        EmbeddedKafkaCluster c = broker;
        if (c != null) {
            c.close();
        }
    }

    EmbeddedKafkaCluster broker() {
        return broker;
    }

    LocalLambdaServer lambda() {
        return lambda;
    }
}
