package io.sluice.ops.hotkeys;

import io.sluice.config.ConfigException;
import io.sluice.ops.AdminApi;
import io.sluice.ops.CommandArgs;
import io.sluice.ops.OpsCommand;
import io.sluice.ops.OpsEnv;
import java.util.Set;

/** {@code hot-keys}: a running instance's top keys per partition, producer and consumer side, from its admin API. */
public final class HotKeysCommand implements OpsCommand {
    @Override
    public String name() {
        return "hot-keys";
    }

    @Override
    public String summary() {
        return "top keys per partition with their share of its traffic (a running instance)";
    }

    @Override
    public String usage() {
        return """
                options:
                  --admin URL       the instance's admin API (default http://127.0.0.1:8080; token from SLUICE_ADMIN_TOKEN)
                  --side SIDE       producer, consumer or all (default all)
                  --pipeline NAME   only this pipeline's consumer
                  --topic TOPIC     only this topic
                  --top N           keys per partition (default 3, at most the instance's hotKeys.topN)
                  --json            the raw hotKeys section of /api/status
                  --timeout D       HTTP timeout (default 30s)

                example: java -jar sluice.jar hot-keys --side consumer --topic mt-c400 --top 5""";
    }

    @Override
    public Set<String> flags() {
        return Set.of("json");
    }

    @Override
    public int run(CommandArgs args, OpsEnv env) throws Exception {
        AdminApi api = AdminApi.from(args, env);
        String side = args.string("side", "all");
        if (!Set.of("producer", "consumer", "all").contains(side)) {
            throw new ConfigException("--side", "must be producer, consumer or all, got '" + side + "'");
        }
        String pipeline = args.string("pipeline", null);
        String topic = args.string("topic", null);
        int top = args.intIn("top", 3, 1, 100);
        boolean json = args.flag("json");
        args.done(false);
        AdminApi.Reply r = api.get("/api/status");
        if (!r.ok()) {
            env.err().println("sluice hot-keys: " + r.error());
            return FAILED;
        }
        io.vertx.core.json.JsonObject hotKeys = r.body().getJsonObject("hotKeys");
        env.out()
                .println(
                        json && hotKeys != null
                                ? hotKeys.encodePrettily()
                                : HotKeysReport.format(hotKeys, side, pipeline, topic, top));
        return OK;
    }
}
