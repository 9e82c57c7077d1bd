package io.sluice.ops.replay;

import io.sluice.config.ConfigException;
import io.sluice.ops.AdminApi;
import io.sluice.ops.CommandArgs;
import io.sluice.ops.OpsCommand;
import io.sluice.ops.OpsEnv;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code replay}: moves a running pipeline's consumer (the partitions of the instance {@code --admin} names) to a
 * timestamp, the earliest or latest offsets, or given offsets, through {@code POST /api/pipelines/{name}/replay}:
 * the instance pauses, lets its in-flight records finish, commits, seeks, commits the targets and resumes.
 */
public final class ReplayCommand implements OpsCommand {
    private static final Set<String> KINDS = Set.of("timestamp", "earliest", "latest", "offsets");

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String summary() {
        return "move a running pipeline's group to a timestamp, earliest, latest or given offsets (deliver again)";
    }

    @Override
    public String usage() {
        return """
                options:
                  --pipeline NAME        the pipeline (required)
                  --to KIND              timestamp | earliest | latest | offsets (required)
                  --timestamp TIME       for --to timestamp: ISO-8601 (2026-12-02T08:00:00Z) or epoch ms; each
                                         partition restarts at its first record at or after TIME
                  --offset T:P=O         for --to offsets: partition P of topic T restarts at offset O (repeatable;
                                         partitions not given keep their position)
                  --drain-timeout D      how long in-flight records may take to finish (default 20s; then nothing moves)
                  --admin URL            the instance's admin API (default %s); token from $%s
                  --timeout D            HTTP timeout (default 30s; keep it above --drain-timeout)
                  --dry-run              print per partition the committed offset, the target and how many records
                                         would be delivered again; move nothing

                It acts on the partitions assigned to that instance; with several instances in the group, run it
                against each (--admin). The targets are committed, so a member that takes a partition over in a
                rebalance starts from them too.

                example:
                  SLUICE_ADMIN_TOKEN=... java -jar sluice.jar replay --pipeline standard --to timestamp \\
                      --timestamp 2026-12-02T08:00:00Z --dry-run
                """.formatted(AdminApi.DEFAULT_URL, AdminApi.TOKEN_ENV);
    }

    @Override
    public int run(CommandArgs args, OpsEnv env) throws Exception {
        String pipeline = args.required("pipeline");
        String kind = args.required("to");
        if (!KINDS.contains(kind)) {
            throw new ConfigException(
                    "--to", "must be one of timestamp, earliest, latest, offsets, got '" + kind + "'");
        }
        JsonObject body = new JsonObject().put("to", kind);
        Instant ts = args.instant("timestamp", null);
        List<String> offsets = args.all("offset");
        if (kind.equals("timestamp") != (ts != null)) {
            throw new ConfigException(
                    "--timestamp",
                    kind.equals("timestamp") ? "is required with --to timestamp" : "applies to --to timestamp only");
        }
        if (kind.equals("offsets") != !offsets.isEmpty()) {
            throw new ConfigException(
                    "--offset",
                    kind.equals("offsets")
                            ? "is required (at least once) with --to offsets"
                            : "applies to --to offsets only");
        }
        if (ts != null) {
            body.put("timestamp", ts.toEpochMilli());
        }
        if (!offsets.isEmpty()) {
            JsonArray arr = new JsonArray();
            offsets.forEach(o -> arr.add(offset(o)));
            body.put("offsets", arr);
        }
        Duration drain = args.duration("drain-timeout", Duration.ofSeconds(20));
        if (drain.toMillis() < 100 || drain.toMillis() > 300_000) {
            throw new ConfigException("--drain-timeout", "must be between 100ms and 300s, got " + drain);
        }
        boolean dry = args.flag("dry-run");
        body.put("dryRun", dry).put("drainTimeoutMs", drain.toMillis());
        AdminApi api = AdminApi.from(args, env);
        args.done(false);
        AdminApi.Reply r =
                api.post("/api/pipelines/" + URLEncoder.encode(pipeline, StandardCharsets.UTF_8) + "/replay", body);
        if (!r.ok()) {
            env.err().println("sluice replay: " + r.error());
            return FAILED;
        }
        env.out().println(text(r.body()));
        return OK;
    }

    /** {@code topic:partition=offset} as the admin API's JSON. */
    static JsonObject offset(String s) {
        int colon = s.lastIndexOf(':');
        int eq = s.indexOf('=', Math.max(colon, 0));
        try {
            if (colon <= 0 || eq < 0) {
                throw new NumberFormatException();
            }
            int p = Integer.parseInt(s.substring(colon + 1, eq).trim());
            long o = Long.parseLong(s.substring(eq + 1).trim());
            if (p < 0 || o < 0) {
                throw new NumberFormatException();
            }
            return new JsonObject()
                    .put("topic", s.substring(0, colon))
                    .put("partition", p)
                    .put("offset", o);
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    "--offset", "must be TOPIC:PARTITION=OFFSET (e.g. mt-c400:3=1200), got '" + s + "'");
        }
    }

    /** The admin API's answer as a table. */
    static String text(JsonObject a) {
        StringBuilder b = new StringBuilder();
        b.append("pipeline ")
                .append(a.getString("pipeline"))
                .append(": replay to ")
                .append(a.getString("to"));
        if (a.containsKey("timestampIso")) {
            b.append(' ').append(a.getString("timestampIso"));
        }
        b.append(a.getBoolean("dryRun", false) ? " (dry run: nothing moved)" : " (done: partitions moved and resumed)")
                .append(System.lineSeparator());
        String fmt = "%-20s %9s %12s %12s %12s %12s %9s%n";
        b.append(String.format(fmt, "topic", "partition", "committed", "target", "end", "redelivered", "skipped"));
        for (Object o : a.getJsonArray("partitions", new JsonArray())) {
            JsonObject p = (JsonObject) o;
            b.append(String.format(
                    fmt,
                    p.getString("topic"),
                    p.getInteger("partition"),
                    p.getLong("committed"),
                    p.getLong("target"),
                    p.getLong("end"),
                    p.getLong("redelivered"),
                    p.getLong("skipped")));
        }
        b.append(a.getLong("redelivered"))
                .append(" record(s) ")
                .append(a.getBoolean("dryRun", false) ? "would be" : "will be")
                .append(" delivered again, ")
                .append(a.getLong("skipped"))
                .append(" skipped");
        JsonArray other = a.getJsonArray("notAssigned", new JsonArray());
        if (!other.isEmpty()) {
            b.append(System.lineSeparator())
                    .append("not assigned to this instance (left alone): ")
                    .append(other.encode());
        }
        return b.toString();
    }
}
