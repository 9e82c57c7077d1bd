package io.sluice.launcher;

import io.sluice.admin.AdminSettings;
import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
import io.sluice.generator.GeneratorSettings;
import io.sluice.ingest.IngestSettings;
import io.sluice.kafka.KafkaSettings;
import io.sluice.pipeline.PipelineSettings;
import io.sluice.producer.ProducerSettings;
import io.sluice.tls.TlsSettings;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole configuration, built once from JSON and validated; immutable. Keys are documented in the
 * docs/configuration.md.
 */
public record SluiceConfig(
        KafkaSettings kafka,
        EmbeddedSettings embedded,
        LocalLambdaSettings localLambda,
        ProducerSettings producer,
        GeneratorSettings generator,
        List<PipelineSettings> pipelines,
        long statusIntervalMs,
        IngestSettings ingest,
        AdminSettings admin,
        TlsSettings tls,
        ClusterSettings cluster,
        io.sluice.tracing.TelemetrySettings telemetry,
        io.sluice.hotkeys.HotKeySettings hotKeys) {

    /** The embedded Apache Kafka broker of local mode. */
    public record EmbeddedSettings(boolean enabled, int nodes, String dataDir, int heapMb) {}

    /** The local Lambda Invoke endpoint hosting the dispatcher function, and its sink. */
    public record LocalLambdaSettings(boolean enabled, int port, String functionName, int concurrency) {}

    public SluiceConfig {
        pipelines = List.copyOf(pipelines);
    }

    private static final Key<Boolean> EMBEDDED_ENABLED = Key.bool(
            "enabled",
            false,
            "start the embedded Apache Kafka broker (local mode); kafka.bootstrapServers is then filled in");
    private static final Key<Integer> EMBEDDED_NODES = Key.integer("nodes", 1, 1, 5, "broker nodes");
    private static final Key<String> EMBEDDED_DATA_DIR =
            Key.string("dataDir", null, "broker data directory (unset: a temporary one, deleted at stop)");
    private static final Key<Integer> EMBEDDED_HEAP_MB = Key.integer("heapMb", 512, 128, 8192, "broker JVM heap");
    private static final Key<Cfg> EMBEDDED = Key.object(
            "embedded",
            Section.of(
                    "the embedded Kafka broker of local mode " + "(a child JVM)",
                    EMBEDDED_ENABLED,
                    EMBEDDED_NODES,
                    EMBEDDED_DATA_DIR,
                    EMBEDDED_HEAP_MB));
    private static final Key<Boolean> LOCAL_ENABLED = Key.bool(
            "enabled",
            false,
            "start the local Lambda Invoke "
                    + "endpoint and its sink; pipelines without lambda.endpointOverride use it");
    private static final Key<Integer> LOCAL_PORT = Key.integer("port", 0, 0, 65535, "its port (0 = a free port)");
    private static final Key<String> LOCAL_FUNCTION = Key.string("functionName", "dispatcher", "the function it hosts");
    private static final Key<Integer> LOCAL_CONCURRENCY =
            Key.integer("concurrency", 100, 1, 10_000, "concurrent invocations before it answers 429 (throttled)");
    private static final Key<Cfg> LOCAL_LAMBDA = Key.object(
            "localLambda",
            Section.of(
                    "the local Lambda endpoint of local " + "mode, hosting the dispatcher function",
                    LOCAL_ENABLED,
                    LOCAL_PORT,
                    LOCAL_FUNCTION,
                    LOCAL_CONCURRENCY));
    private static final Key<Long> STATUS_INTERVAL_MS =
            Key.longInt("intervalMs", 5_000, 0, 3_600_000, "status line interval (0 = off)");
    private static final Key<Cfg> STATUS =
            Key.object("status", Section.of("the status line on standard output", STATUS_INTERVAL_MS));
    private static final Key<Cfg> KAFKA = Key.object("kafka", KafkaSettings.SECTION);
    private static final Key<Cfg> PRODUCER = Key.object("producer", ProducerSettings.SECTION);
    private static final Key<Cfg> GENERATOR = Key.object("generator", GeneratorSettings.SECTION);
    private static final Key<java.util.List<Cfg>> PIPELINES = Key.objects("pipelines", PipelineSettings.SECTION);
    private static final Key<Cfg> INGEST = Key.object("ingest", IngestSettings.SECTION);
    private static final Key<Cfg> ADMIN = Key.object("admin", AdminSettings.SECTION);
    private static final Key<Cfg> CLUSTER = Key.object("cluster", ClusterSettings.SECTION);
    private static final Key<Cfg> HOT_KEYS = Key.object("hotKeys", io.sluice.hotkeys.HotKeySettings.SECTION);
    /** The whole file: what docs/configuration.md is generated from ({@code ConfigReference}). */
    public static final Section SECTION = Section.of(
            "the Sluice config file",
            KAFKA,
            EMBEDDED,
            LOCAL_LAMBDA,
            PRODUCER,
            GENERATOR,
            PIPELINES,
            STATUS,
            INGEST,
            ADMIN,
            CLUSTER,
            io.sluice.tracing.TelemetrySettings.TRACING,
            io.sluice.tracing.TelemetrySettings.METRICS,
            HOT_KEYS);

    public static SluiceConfig fromJson(JsonObject json) {
        return fromJson(json, System.getenv());
    }

    /** Built with {@code env} as the environment (passwords of {@code kafka.tls}, the admin token). */
    public static SluiceConfig fromJson(JsonObject json, Map<String, String> env) {
        Cfg root = new Cfg(json, "", SECTION);
        Cfg kafkaCfg = root.get(KAFKA);
        TlsSettings tls = TlsSettings.from(kafkaCfg.get(TlsSettings.KAFKA_TLS), env);
        KafkaSettings kafka = KafkaSettings.from(kafkaCfg).withTls(tls);
        Cfg e = root.get(EMBEDDED);
        EmbeddedSettings embedded = new EmbeddedSettings(
                e.get(EMBEDDED_ENABLED), e.get(EMBEDDED_NODES), e.get(EMBEDDED_DATA_DIR), e.get(EMBEDDED_HEAP_MB));
        e.done();
        Cfg l = root.get(LOCAL_LAMBDA);
        LocalLambdaSettings local = new LocalLambdaSettings(
                l.get(LOCAL_ENABLED), l.get(LOCAL_PORT), l.get(LOCAL_FUNCTION), l.get(LOCAL_CONCURRENCY));
        l.done();
        ProducerSettings producer = ProducerSettings.from(root.get(PRODUCER));
        GeneratorSettings generator = GeneratorSettings.from(root.get(GENERATOR));
        List<PipelineSettings> pipelines =
                root.get(PIPELINES).stream().map(PipelineSettings::from).toList();
        Cfg status = root.get(STATUS);
        long statusInterval = status.get(STATUS_INTERVAL_MS);
        status.done();
        IngestSettings ingest = IngestSettings.from(root.get(INGEST));
        AdminSettings admin = AdminSettings.from(root.get(ADMIN), env);
        ClusterSettings cluster = ClusterSettings.from(root.get(CLUSTER));
        io.sluice.tracing.TelemetrySettings telemetry = io.sluice.tracing.TelemetrySettings.from(root);
        io.sluice.hotkeys.HotKeySettings hotKeys = io.sluice.hotkeys.HotKeySettings.from(root.get(HOT_KEYS));
        root.done();

        if (!embedded.enabled() && kafka.bootstrapServers() == null) {
            throw new ConfigException("kafka.bootstrapServers", "is required when embedded.enabled is false");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < pipelines.size(); i++) {
            PipelineSettings p = pipelines.get(i);
            if (!names.add(p.name())) {
                throw new ConfigException(
                        "pipelines[" + i + "].name", "must be unique, '" + p.name() + "' is used twice");
            }
            if (!local.enabled()
                    && p.lambda().endpointOverride() == null
                    && p.lambda().functionName() == null) {
                throw new ConfigException("pipelines[" + i + "].lambda.functionName", "is required");
            }
        }
        if (generator.enabled() && !producer.enabled()) {
            throw new ConfigException(
                    "generator.enabled", "needs producer.enabled=true (the generator produces through it)");
        }
        if (ingest.enabled() && !producer.enabled()) {
            throw new ConfigException("ingest.enabled", "needs producer.enabled=true (the ingest produces through it)");
        }
        return new SluiceConfig(
                kafka,
                embedded,
                local,
                producer,
                generator,
                pipelines,
                statusInterval,
                ingest,
                admin,
                tls,
                cluster,
                telemetry,
                hotKeys);
    }

    public SluiceConfig withKafka(KafkaSettings k) {
        return new SluiceConfig(
                k,
                embedded,
                localLambda,
                producer,
                generator,
                pipelines,
                statusIntervalMs,
                ingest,
                admin,
                tls,
                cluster,
                telemetry,
                hotKeys);
    }

    public SluiceConfig withPipelines(List<PipelineSettings> p) {
        return new SluiceConfig(
                kafka,
                embedded,
                localLambda,
                producer,
                generator,
                p,
                statusIntervalMs,
                ingest,
                admin,
                tls,
                cluster,
                telemetry,
                hotKeys);
    }
}
