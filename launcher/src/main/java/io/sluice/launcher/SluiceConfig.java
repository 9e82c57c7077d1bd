package io.sluice.launcher;

import io.sluice.admin.AdminSettings;
import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
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
public record SluiceConfig(KafkaSettings kafka, EmbeddedSettings embedded, LocalLambdaSettings localLambda,
                           ProducerSettings producer, GeneratorSettings generator, List<PipelineSettings> pipelines,
                           long statusIntervalMs, IngestSettings ingest, AdminSettings admin, TlsSettings tls,
                           ClusterSettings cluster, io.sluice.tracing.TelemetrySettings telemetry) {

    /** The embedded Apache Kafka broker of local mode. */
    public record EmbeddedSettings(boolean enabled, int nodes, String dataDir, int heapMb) {
    }

    /** The local Lambda Invoke endpoint hosting the dispatcher function, and its sink. */
    public record LocalLambdaSettings(boolean enabled, int port, String functionName, int concurrency) {
    }

    public SluiceConfig {
        pipelines = List.copyOf(pipelines);
    }

    public static SluiceConfig fromJson(JsonObject json) {
        return fromJson(json, System.getenv());
    }

    /** Built with {@code env} as the environment (passwords of {@code kafka.tls}, the admin token). */
    public static SluiceConfig fromJson(JsonObject json, Map<String, String> env) {
        Cfg root = new Cfg(json, "");
        Cfg kafkaCfg = root.child("kafka");
        TlsSettings tls = TlsSettings.from(kafkaCfg.child("tls"), env);
        KafkaSettings kafka = KafkaSettings.from(kafkaCfg).withTls(tls);
        Cfg e = root.child("embedded");
        EmbeddedSettings embedded = new EmbeddedSettings(e.bool("enabled", false), e.intIn("nodes", 1, 1, 5),
                e.string("dataDir", null), e.intIn("heapMb", 512, 128, 8192));
        e.done();
        Cfg l = root.child("localLambda");
        LocalLambdaSettings local = new LocalLambdaSettings(l.bool("enabled", false), l.intIn("port", 0, 0, 65535),
                l.string("functionName", "dispatcher"), l.intIn("concurrency", 100, 1, 10_000));
        l.done();
        ProducerSettings producer = ProducerSettings.from(root.child("producer"));
        GeneratorSettings generator = GeneratorSettings.fromJson(root.rawObject("generator"), "generator");
        List<PipelineSettings> pipelines = root.children("pipelines").stream().map(PipelineSettings::from).toList();
        Cfg status = root.child("status");
        long statusInterval = status.longIn("intervalMs", 5_000, 0, 3_600_000);
        status.done();
        IngestSettings ingest = IngestSettings.from(root.child("ingest"));
        AdminSettings admin = AdminSettings.from(root.child("admin"), env);
        ClusterSettings cluster = ClusterSettings.from(root.child("cluster"));
        io.sluice.tracing.TelemetrySettings telemetry = io.sluice.tracing.TelemetrySettings.from(root);
        root.done();

        if (!embedded.enabled() && kafka.bootstrapServers() == null) {
            throw new ConfigException("kafka.bootstrapServers", "is required when embedded.enabled is false");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < pipelines.size(); i++) {
            PipelineSettings p = pipelines.get(i);
            if (!names.add(p.name())) {
                throw new ConfigException("pipelines[" + i + "].name", "must be unique, '" + p.name() + "' is used twice");
            }
            if (!local.enabled() && p.lambda().endpointOverride() == null && p.lambda().functionName() == null) {
                throw new ConfigException("pipelines[" + i + "].lambda.functionName", "is required");
            }
        }
        if (generator.enabled() && !producer.enabled()) {
            throw new ConfigException("generator.enabled", "needs producer.enabled=true (the generator produces through it)");
        }
        if (ingest.enabled() && !producer.enabled()) {
            throw new ConfigException("ingest.enabled", "needs producer.enabled=true (the ingest produces through it)");
        }
        return new SluiceConfig(kafka, embedded, local, producer, generator, pipelines, statusInterval, ingest, admin, tls, cluster, telemetry);
    }

    public SluiceConfig withKafka(KafkaSettings k) {
        return new SluiceConfig(k, embedded, localLambda, producer, generator, pipelines, statusIntervalMs, ingest, admin, tls, cluster, telemetry);
    }

    public SluiceConfig withPipelines(List<PipelineSettings> p) {
        return new SluiceConfig(kafka, embedded, localLambda, producer, generator, p, statusIntervalMs, ingest, admin, tls, cluster, telemetry);
    }
}
