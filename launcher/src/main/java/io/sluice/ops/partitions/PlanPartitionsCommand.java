package io.sluice.ops.partitions;

import io.sluice.config.ConfigException;
import io.sluice.launcher.SluiceConfig;
import io.sluice.ops.AdminApi;
import io.sluice.ops.CommandArgs;
import io.sluice.ops.OpsCommand;
import io.sluice.ops.OpsEnv;
import java.util.Map;
import java.util.Set;

/**
 * {@code plan partitions}: from a running pipeline's measured numbers (its {@code /api/status}) the partitions,
 * consumers and function concurrency a target rate needs, and what going from N to M partitions does to key
 * placement. Any measured input can be replaced by an option; {@code --config} reads the topic's partitions and the
 * group's members from Kafka.
 */
public final class PlanPartitionsCommand implements OpsCommand {
    @Override
    public String name() {
        return "plan partitions";
    }

    @Override
    public String summary() {
        return "partitions and consumers needed for a target rate, from a running pipeline's measurements";
    }

    @Override
    public String usage() {
        return """
                options:
                  --topic T              the topic to plan (required)
                  --target-rate R        records/s the topic must carry (required)
                  --pipeline NAME        the pipeline that consumes it (default: the instance's first)
                  --admin URL            the running instance (default http://127.0.0.1:8080)
                  --config FILE          Sluice's config: the topic's partitions and the group's members from Kafka
                  --partitions N         partitions now (default: from Kafka with --config, else those the instance polls)
                  --consumers C          consumers now (default: the group's members with --config, else 1)
                  --to M                 show the key placement of N -> M (default: the doubling that covers the need)
                  --headroom U           utilisation planned for, 0.1..1 (default 0.7)
                  --p99-ms L             function latency p99 instead of the measured one
                  --batch-records B      records per invocation instead of the measured mean
                  --hot-share S          the largest key's share of the topic, 0..1, instead of the measured one
                  --consumer-capacity K  records/s one consumer handles (default: what it delivers now)

                example: java -jar sluice.jar plan partitions --topic mt-c400 --target-rate 13000 --config conf/prod.json""";
    }

    @Override
    public Set<String> flags() {
        return Set.of();
    }

    @Override
    public int run(CommandArgs args, OpsEnv env) throws Exception {
        String topic = args.required("topic");
        double target = positive(args, "target-rate", null);
        String pipeline = args.string("pipeline", null);
        String configPath = args.string("config", null);
        int partitionsOpt = args.intIn("partitions", 0, 1, 100_000);
        int consumersOpt = args.intIn("consumers", 0, 1, 100_000);
        int to = args.intIn("to", 0, 1, 100_000);
        double headroom = fraction(args, "headroom", 0.7, 0.1);
        String p99 = args.string("p99-ms", null);
        String batch = args.string("batch-records", null);
        String hot = args.string("hot-share", null);
        String capacity = args.string("consumer-capacity", null);
        AdminApi api = AdminApi.from(args, env);
        String source = args.string("admin", AdminApi.DEFAULT_URL);
        args.done(false);

        AdminApi.Reply status = api.get("/api/status");
        if (!status.ok()) {
            env.err().println("sluice plan partitions: " + status.error());
            return FAILED;
        }
        Measured m = Measured.from(status.body(), pipeline, topic);
        int partitions = partitionsOpt;
        int consumers = consumersOpt;
        String kafkaSource = "";
        if (configPath != null && (partitions == 0 || consumers == 0)) {
            SluiceConfig config = env.config().read(configPath);
            try (KafkaView kafka =
                    new KafkaView(config.kafka().clientConfig(Map.of("request.timeout.ms", "15000"), Map.of()))) {
                if (partitions == 0) {
                    partitions = kafka.partitions(topic);
                }
                if (consumers == 0) {
                    consumers = Math.max(1, kafka.group(m.groupId(), topic).members());
                }
            }
            kafkaSource = " (from Kafka, group " + m.groupId() + ")";
        }
        if (partitions == 0) {
            partitions = Math.max(1, Math.max(m.assigned(), m.partitionsSeen()));
            kafkaSource = " (partitions: those this instance polls; --config asks Kafka)";
        }
        consumers = consumers == 0 ? 1 : consumers;
        double p99s = (p99 == null
                        ? require(m.p99Ms(), "--p99-ms", "the instance has no function latency yet")
                        : above0("p99-ms", p99))
                / 1000;
        double b = batch == null
                ? require(m.recordsPerBatch(), "--batch-records", "the instance has no batches yet")
                : above0("batch-records", batch);
        double lanesPerBatch = m.lanesPerBatch(); // with --batch-records too: records per invocation over these lanes
        double share = hot == null ? m.hotShare() : parse("hot-share", hot);
        if (share > 1) {
            throw new ConfigException("--hot-share", "must be between 0 and 1, got " + share);
        }
        double kappa = capacity == null
                ? require(m.deliveredPerSecond(), "--consumer-capacity", "the instance delivers nothing now")
                : above0("consumer-capacity", capacity);
        PartitionPlan plan = new PartitionPlan(
                target, p99s, b, lanesPerBatch, m.lanesPerPartition(), share, kappa, headroom, m.busiestLaneRate());
        PlanPartitionsInputs in =
                new PlanPartitionsInputs(p99 != null, batch != null, hot != null, capacity != null, kafkaSource);
        env.out().println(PlanReport.format(source, m, in, plan, partitions, consumers, to));
        return OK;
    }

    private static double require(double measured, String option, String why) {
        if (!(measured > 0)) {
            throw new ConfigException(option, "is needed: " + why);
        }
        return measured;
    }

    private static double positive(CommandArgs args, String name, Double def) {
        String v = def == null ? args.required(name) : args.string(name, null);
        return v == null ? def : above0(name, v);
    }

    private static double above0(String name, String v) {
        double d = parse(name, v);
        if (d == 0) {
            throw new ConfigException("--" + name, "must be above 0, got '" + v + "'");
        }
        return d;
    }

    private static double fraction(CommandArgs args, String name, double def, double min) {
        double v = positive(args, name, def);
        if (v < min || v > 1) {
            throw new ConfigException("--" + name, "must be between " + min + " and 1, got " + v);
        }
        return v;
    }

    private static double parse(String name, String v) {
        try {
            double d = Double.parseDouble(v.trim().replace("_", ""));
            if (!(d >= 0) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ConfigException("--" + name, "must be a non-negative number, got '" + v + "'");
        }
    }
}
