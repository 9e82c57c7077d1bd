package io.sluice.ops.redrive;

import io.sluice.config.ConfigException;
import io.sluice.dispatch.RedriveSettings;
import io.sluice.launcher.SluiceConfig;
import io.sluice.ops.CommandArgs;
import io.sluice.ops.OpsCommand;
import io.sluice.ops.OpsEnv;
import io.sluice.pipeline.PipelineSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * {@code dlq redrive}: re-produces selected records of a pipeline's DLQ topic to their source topic (or
 * {@code --to-topic}), rate-limited, idempotent per selection, with an audit record per run (see {@link RedriveRun}).
 * Talks to Kafka only (the settings of {@code --config}); a running Sluice consumes the redriven records as any others.
 */
public final class DlqRedriveCommand implements OpsCommand {
    @Override
    public String name() {
        return "dlq redrive";
    }

    @Override
    public String summary() {
        return "re-produce a pipeline's DLQ records to their source topic (or another), selected, rate-limited, once";
    }

    @Override
    public String usage() {
        return """
                options:
                  --config FILE          Sluice's config file (Kafka settings, TLS, the pipeline's DLQ and redrive keys); required
                  --pipeline NAME        whose DLQ (default: the only pipeline of the config)
                  --dlq-topic T          read this topic instead of the pipeline's dlqTopic
                  --to-topic T           produce every record here (default: each record's sluice-source-topic)
                  --from TIME            only records dead-lettered at or after TIME (ISO-8601 or epoch ms)
                  --until TIME           only records dead-lettered before TIME
                  --error-class C        only this sluice-error-class (repeatable: any of them)
                  --source-topic T       only records from this source topic
                  --source-partition N   only records from this source partition
                  --offset-from N        only source offsets >= N
                  --offset-to N          only source offsets <= N
                  --rate N               records per second at most (default 500)
                  --max-attempts N       park instead of redriving records redriven N times already
                                         (default: the pipeline's redrive.maxAttempts)
                  --timeout D            give up when the DLQ yields nothing for D (default 60s)
                  --dry-run              count what would be redriven, by error class and target topic; write nothing

                The same selection (the options above but --rate, --timeout, --dry-run) redriven twice moves its
                records once: its progress is the consumer group sluice-redrive-<selection id> on the DLQ topic,
                committed after the broker acknowledged the records. Each real run writes an audit record to the
                pipeline's redrive.auditTopic. Exit 0 done, 1 a write failed (run again), 2 bad options.

                example:
                  java -jar sluice.jar dlq redrive --config conf/msk-ec2.json --error-class invalid-record --dry-run
                """;
    }

    @Override
    public int run(CommandArgs args, OpsEnv env) throws Exception {
        SluiceConfig config = env.config().read(args.required("config"));
        PipelineSettings p = pipeline(config.pipelines(), args.string("pipeline", null));
        RedriveSettings rs = p.redrive();
        Integer partition = args.string("source-partition", null) == null
                ? null
                : args.intIn("source-partition", 0, 0, Integer.MAX_VALUE);
        Long min = args.string("offset-from", null) == null ? null : args.longIn("offset-from", 0, 0, Long.MAX_VALUE);
        Long max = args.string("offset-to", null) == null ? null : args.longIn("offset-to", 0, 0, Long.MAX_VALUE);
        Instant from = args.instant("from", null);
        Instant until = args.instant("until", null);
        RedriveSelection sel = new RedriveSelection(
                args.string("dlq-topic", p.dlqTopic()),
                args.string("to-topic", null),
                from,
                until,
                new LinkedHashSet<>(args.all("error-class")),
                args.string("source-topic", null),
                partition,
                min,
                max);
        double rate = args.longIn("rate", 500, 1, 1_000_000);
        int maxAttempts = args.intIn("max-attempts", rs.maxAttempts(), 1, 100);
        Duration timeout = args.duration("timeout", Duration.ofSeconds(60));
        boolean dry = args.flag("dry-run");
        args.done(false);
        if (min != null && max != null && min > max) {
            throw new ConfigException("--offset-from", "must be <= --offset-to (" + max + "), got " + min);
        }
        if (from != null && until != null && !from.isBefore(until)) {
            throw new ConfigException("--from", "must be before --until (" + until + "), got " + from);
        }
        String parking = rs.parkingTopicFor(p.dlqTopic());
        if (sel.dlqTopic().equals(sel.toTopic())) {
            throw new ConfigException("--to-topic", "must not be the DLQ topic itself");
        }
        quietKafkaClients();
        env.err()
                .println("dlq redrive" + (dry ? " (dry run)" : "") + ": selection " + sel.id() + " "
                        + sel.toJson().encode() + ", progress group " + sel.progressGroup());
        RedriveRun.Result r = new RedriveRun(config.kafka(), env.err())
                .run(sel, new RedriveRun.Options(dry, rate, maxAttempts, parking, rs.auditTopic(), timeout));
        env.out().println(r.tally().text(dry));
        if (!dry) {
            env.out()
                    .println("redrive id " + r.runId() + "; parking topic " + parking + "; result "
                            + (r.failure() == null ? "ok" : "FAILED: " + r.failure()));
        }
        return r.failure() == null ? OK : FAILED;
    }

    /** The Kafka clients' connection WARNs (one a second while a broker is unreachable) are not for a terminal. */
    private static void quietKafkaClients() {
        if (org.slf4j.LoggerFactory.getLogger("org.apache.kafka") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    private static PipelineSettings pipeline(List<PipelineSettings> all, String name) {
        if (name == null) {
            if (all.size() != 1) {
                throw new ConfigException(
                        "--pipeline",
                        "is required: the config has " + all.size() + " pipelines "
                                + all.stream().map(PipelineSettings::name).toList());
            }
            return all.get(0);
        }
        return all.stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ConfigException(
                        "--pipeline",
                        "unknown pipeline '" + name + "'; the config has "
                                + all.stream().map(PipelineSettings::name).toList()));
    }
}
