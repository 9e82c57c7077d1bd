package io.sluice.launcher;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.config.ConfigException;
import io.sluice.metrics.HttpMetricTags;
import io.sluice.tls.TlsMaterialException;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.ExitCodes;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: {@code java -jar sluice.jar [-conf conf/local.json] [Vert.x launcher options]} (see {@link LaunchArgs};
 * {@code --config FILE} works as before). The command line and the config (file, {@code SLUICE_*} environment and
 * {@code -Dsluice.*} overrides) are checked first: a bad one prints one line and exits 2. Then Vert.x 5's application
 * launcher ({@link VertxApplication}) starts Vert.x (clustered when {@code cluster.enabled}) and deploys the
 * {@link SluiceVerticle}; a failed start exits 1 (2 for invalid TLS material). SIGTERM and Ctrl-C close Vert.x
 * through the launcher's shutdown hook, which stops Sluice gracefully; the JVM exits 143 and 130 (128 + the signal).
 * The embedded broker runs in a session of its own, so a terminal's Ctrl-C reaches only this JVM: the broker serves
 * the final commits and is stopped last.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        LaunchArgs launch;
        try {
            launch = LaunchArgs.parse(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println("sluice: invalid command line: " + e.getMessage() + " (-h for the usage)");
            System.exit(2);
            return;
        }
        if (launch.help()) {
            System.out.println(LaunchArgs.usage());
            return;
        }
        JsonObject json = loadOrExit(launch.configPath());
        SluiceConfig config;
        try {
            config = SluiceConfig.fromJson(json);
        } catch (ConfigException e) {
            System.err.println("sluice: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpMetricTags.install(registry); // before any meter: unknown HTTP methods fold into one tag value
        bindJvmMetrics(registry);
        List<String> launcherArgs = new ArrayList<>(launch.passThrough());
        if (config.cluster().enabled()) {
            launcherArgs.add("-cluster");
        }
        int code = new Application(
                        launcherArgs.toArray(String[]::new), new Hooks(launch.configPath(), json, config, registry))
                .launch();
        if (code != 0) { // the hooks exit on failures they know; this is the launcher's own refusal
            System.err.println("sluice: the Vert.x launcher refused to start (exit code " + code + ")");
            System.exit(code == ExitCodes.USAGE ? 2 : 1);
        }
    }

    private static JsonObject loadOrExit(String path) {
        try {
            return ConfigLoader.loadJsonBlocking(path);
        } catch (ConfigException ce) {
            System.err.println("sluice: invalid configuration: " + ce.getMessage());
            System.exit(2);
            return null;
        }
    }

    /** The launcher with Sluice's hooks; usage and exit on failure are Sluice's own (one line, exit 2 or 1). */
    private static final class Application extends VertxApplication {
        Application(String[] args, VertxApplicationHooks hooks) {
            super(args, hooks, false, false);
        }
    }

    /** What the launcher does at each stage: Sluice's Vert.x (metrics, cluster manager) and its main verticle. */
    private record Hooks(String path, JsonObject json, SluiceConfig config, MeterRegistry registry)
            implements VertxApplicationHooks {
        @Override
        public JsonObject afterConfigParsed(JsonObject ignored) {
            return json; // the main verticle's config(): the effective JSON (file and overrides)
        }

        @Override
        public JsonObject afterDeploymentOptionsParsed(JsonObject deploymentOptions) {
            if (deploymentOptions != null
                    && deploymentOptions.getValue("instances") != null
                    && !Integer.valueOf(1).equals(deploymentOptions.getValue("instances"))) {
                System.err.println("sluice: invalid command line: -deployment-options: instances must be 1, got "
                        + deploymentOptions.getValue("instances") + ": Sluice runs once per JVM");
                System.exit(2);
            }
            return deploymentOptions;
        }

        @Override
        public VertxBuilder createVertxBuilder(VertxOptions options) {
            options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
            VertxBuilder b = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry));
            ClusterSettings c = config.cluster();
            if (c.enabled()) {
                options.getEventBusOptions().setHost(c.host()).setPort(c.eventBusPort());
                if (c.publicHost() != null) {
                    options.getEventBusOptions().setClusterPublicHost(c.publicHost());
                }
                b.withClusterManager(new HazelcastClusterManager(HazelcastConfigs.tcpIp(c)));
            }
            return b;
        }

        @Override
        public Supplier<? extends Deployable> verticleSupplier() {
            return () -> new SluiceVerticle(config, registry);
        }

        @Override
        public void afterVerticleDeployed(HookContext context) {
            LOG.info("Sluice started (config {})", path);
        }

        @Override
        public void afterFailureToStartVertx(HookContext context, Throwable t) {
            System.err.println(
                    "sluice: failed to start Vert.x" + (config.cluster().enabled() ? " (cluster join)" : "") + ": "
                            + (t == null ? "timed out" : t.getMessage()));
            System.exit(1);
        }

        @Override
        public void afterFailureToDeployVerticle(HookContext context, Throwable err) {
            if (err instanceof TlsMaterialException) {
                // one line, no stack trace: the key and the problem say it all
                System.err.println("sluice: invalid TLS material: " + err.getMessage());
                System.exit(2);
            } else if (err instanceof ConfigException) {
                System.err.println("sluice: invalid configuration: " + err.getMessage());
                System.exit(2);
            }
            System.err.println("sluice: failed to start: " + (err == null ? "timed out" : err.getMessage()));
            LOG.error("Start failed", err);
            System.exit(1);
        }
    }

    /**
     * A Vert.x instance whose own metrics (HTTP server/client, event bus, pools, verticles) are recorded
     * into {@code registry} (vertx-micrometer-metrics), next to Sluice's meters, so {@code GET /metrics}
     * exposes both.
     */
    public static Vertx vertxWithMetrics(MeterRegistry registry) {
        HttpMetricTags.install(registry);
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
}
