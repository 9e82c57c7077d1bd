package io.sluice.ops.partitions;

import io.sluice.config.ConfigException;
import io.sluice.launcher.SluiceConfig;
import io.sluice.ops.AdminApi;
import io.sluice.ops.CommandArgs;
import io.sluice.ops.OpsCommand;
import io.sluice.ops.OpsEnv;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code partitions increase --topic T --to M}: the playbook as a command. Pre-checks (a real increase of at least
 * ×1.5 unless {@code --force}; the producer keys every record; lag not growing; the group stable), the change
 * through Kafka's Admin API, then it follows the group and the lag every {@code --sample} until the rebalance is
 * done and the lag has been back to normal for {@code --settle}, and prints a summary.
 */
public final class IncreasePartitionsCommand implements OpsCommand {
    @Override
    public String name() {
        return "partitions increase";
    }

    @Override
    public String summary() {
        return "add partitions to a topic with the playbook's pre-checks, then follow the rebalance and lag";
    }

    @Override
    public String usage() {
        return """
                options:
                  --topic T          the topic (required)
                  --to M             partitions after the change (required; at least x1.5 unless --force)
                  --config FILE      Sluice's config: how to reach Kafka (required)
                  --admin URL        a running instance consuming the topic (default http://127.0.0.1:8080)
                  --pipeline NAME    its pipeline that consumes the topic (default: the first that does)
                  --force            allow an increase under x1.5, or a producer that cannot be checked
                  --dry-run          run the pre-checks only
                  --sample D         how often to sample the group and the lag (default 1s)
                  --prechecks D      how long to sample the lag before the change (default 5s)
                  --settle D         how long the lag must stay normal to finish (default 10s)
                  --max-wait D       give up following after this (default 10m; the consumers see new partitions
                                     within their metadata.max.age.ms, 5 minutes by Kafka's default)
                  --lag-slack N      records above the pre-change lag still counted as normal (default 2000)

                example: java -jar sluice.jar partitions increase --topic mt-c400 --to 24 --config conf/prod.json""";
    }

    @Override
    public Set<String> flags() {
        return Set.of("dry-run", "force");
    }

    @Override
    public int run(CommandArgs args, OpsEnv env) throws Exception {
        String topic = args.required("topic");
        int to = args.intIn("to", 0, 1, 1_000_000);
        if (to == 0) {
            throw new ConfigException("--to", "is required");
        }
        String configPath = args.required("config");
        String pipeline = args.string("pipeline", null);
        boolean force = args.flag("force");
        boolean dryRun = args.flag("dry-run");
        long sampleMs = positiveMs(args, "sample", Duration.ofSeconds(1));
        long precheckMs = positiveMs(args, "prechecks", Duration.ofSeconds(5));
        long settleMs = args.duration("settle", Duration.ofSeconds(10)).toMillis();
        long maxWaitMs = positiveMs(args, "max-wait", Duration.ofMinutes(10));
        long slack = args.longIn("lag-slack", 2_000, 0, Long.MAX_VALUE);
        AdminApi api = AdminApi.from(args, env);
        args.done(false);
        SluiceConfig config = env.config().read(configPath);

        AdminApi.Reply status = api.get("/api/status");
        if (!status.ok()) {
            env.err().println("sluice partitions increase: " + status.error());
            return FAILED;
        }
        String group = groupOf(status.body(), pipeline, topic);
        try (KafkaView kafka =
                new KafkaView(config.kafka().clientConfig(Map.of("request.timeout.ms", "15000"), Map.of()))) {
            int from = kafka.partitions(topic);
            env.out().println("pre-checks for " + topic + " " + from + " -> " + to + " (group " + group + "):");
            List<IncreaseChecks.Verdict> checks = new ArrayList<>();
            IncreaseChecks.Verdict size = IncreaseChecks.size(from, to, force);
            checks.add(size);
            List<Long> lagSamples = new ArrayList<>();
            if (size.ok()) {
                checks.add(IncreaseChecks.keyed(status.body(), force));
                long n = Math.max(2, precheckMs / sampleMs + 1);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        pause(sampleMs);
                    }
                    lagSamples.add(sum(kafka.lag(group, topic)));
                }
                checks.add(IncreaseChecks.lag(lagSamples, sampleMs));
                checks.add(IncreaseChecks.group(kafka.group(group, topic), from));
            }
            checks.forEach(v -> env.out().println(v.line()));
            List<IncreaseChecks.Verdict> failed = IncreaseChecks.failed(checks);
            if (!failed.isEmpty()) {
                env.err()
                        .println("sluice partitions increase: refused ("
                                + failed.get(0).check() + "): " + failed.get(0).detail());
                return FAILED;
            }
            if (dryRun) {
                env.out().println("dry run: every pre-check passed; nothing changed");
                return OK;
            }
            long baseline = lagSamples.stream().mapToLong(Long::longValue).max().orElse(0);
            long t0 = System.currentTimeMillis();
            kafka.increase(topic, to);
            env.out()
                    .println("increased " + topic + " to " + to + " partitions; following the group (every " + sampleMs
                            + " ms, settled after " + settleMs / 1000 + " s of normal lag)");
            RebalanceFollow follow = new RebalanceFollow(t0, to, baseline, slack, settleMs);
            boolean settled = false;
            while (!settled && System.currentTimeMillis() - t0 < maxWaitMs) {
                pause(sampleMs);
                KafkaView.Group g = kafka.group(group, topic);
                long lag = sum(kafka.lag(group, topic));
                long now = System.currentTimeMillis();
                settled = follow.sample(
                        now, g.state() == org.apache.kafka.common.ConsumerGroupState.STABLE, g.assignedOfTopic(), lag);
                env.out()
                        .printf(
                                "  +%5.1f s  group %-20s assigned %d/%d  lag %d%n",
                                (now - t0) / 1000.0, g.state(), g.assignedOfTopic(), to, lag);
            }
            env.out().println(follow.summary(topic, from));
            if (!settled) {
                env.err()
                        .println("sluice partitions increase: the group did not settle within " + maxWaitMs / 1000
                                + " s (the partitions were added; follow it with the status and lag)");
                return FAILED;
            }
            return OK;
        }
    }

    /** The consumer group of the pipeline that reads {@code topic} on the instance. */
    static String groupOf(JsonObject status, String pipeline, String topic) {
        for (Object o : status.getJsonArray("pipelines", new JsonArray())) {
            JsonObject p = (JsonObject) o;
            if ((pipeline == null || pipeline.equals(p.getString("name")))
                    && p.getJsonArray("topics", new JsonArray()).contains(topic)) {
                return p.getString("groupId");
            }
        }
        throw new ConfigException(
                pipeline == null ? "--topic" : "--pipeline",
                "no pipeline on the instance consumes '" + topic + "'"
                        + (pipeline == null ? "" : " as pipeline " + pipeline));
    }

    private static long sum(Map<Integer, Long> lag) {
        return lag.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long positiveMs(CommandArgs args, String name, Duration def) {
        long ms = args.duration(name, def).toMillis();
        if (ms <= 0) {
            throw new ConfigException("--" + name, "must be above 0");
        }
        return ms;
    }

    /** The sampling interval; a command runs on its own thread, never on an event loop. */
    private static void pause(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }
}
