package io.sluice.launcher;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.config.ConfigException;
import io.sluice.tls.TlsMaterialException;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Entry point: {@code java -jar sluice.jar [--config conf/local.json]} (or {@code SLUICE_CONFIG}).
 * A bad configuration prints one line naming the key and exits 2; a failed start exits 1; SIGTERM
 * and Ctrl-C stop gracefully and exit 143 and 130 (128 + the signal). The embedded broker runs in a
 * session of its own, so a terminal's Ctrl-C reaches only this JVM: the broker serves the final
 * commits and is stopped last.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        String path = configPath(args);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        bindJvmMetrics(registry);
        Vertx vertx = vertxWithMetrics(registry);
        SluiceConfig config;
        try {
            config = ConfigLoader.load(vertx, path).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof ConfigException ce) {
                System.err.println("sluice: invalid configuration: " + ce.getMessage());
            } else {
                System.err.println("sluice: cannot read configuration '" + path + "': " + cause);
            }
            vertx.close();
            System.exit(2);
            return;
        }
        Sluice app = new Sluice(vertx, config, registry);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping Sluice");
            app.stopBlocking(Duration.ofSeconds(60));
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
            LOG.info("Sluice stopped");
        }, "sluice-shutdown"));
        app.start()
                .onSuccess(v -> LOG.info("Sluice started (config {})", path))
                .onFailure(err -> {
                    if (err instanceof TlsMaterialException) {
                        // one line, no stack trace: the key and the problem say it all
                        System.err.println("sluice: invalid TLS material: " + err.getMessage());
                        exit(2);
                        return;
                    }
                    System.err.println("sluice: failed to start: " + err.getMessage());
                    LOG.error("Start failed", err);
                    exit(1);
                });
    }

    /**
     * {@code System.exit} from its own thread: called on an event loop it would block that loop while the
     * shutdown hook waits (up to its timeout) for Vert.x to close, which needs the loop.
     */
    private static void exit(int code) {
        new Thread(() -> System.exit(code), "sluice-exit").start();
    }

    /**
     * A Vert.x instance whose own metrics (HTTP server/client, event bus, pools, verticles) are recorded
     * into {@code registry} (vertx-micrometer-metrics), next to Sluice's meters, so {@code GET /metrics}
     * exposes both.
     */
    public static Vertx vertxWithMetrics(MeterRegistry registry) {
        return Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
    }

    /** JVM memory, GC, threads, CPU and uptime meters ({@code jvm_*}, {@code process_*}, {@code system_*}). */
    static void bindJvmMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    }

    static String configPath(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if ("--config".equals(args[i])) {
                return args[i + 1];
            }
        }
        String env = System.getenv("SLUICE_CONFIG");
        return env != null ? env : "conf/local.json";
    }
}
