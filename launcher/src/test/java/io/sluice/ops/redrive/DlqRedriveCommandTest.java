package io.sluice.ops.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.ConfigException;
import io.sluice.launcher.SluiceConfig;
import io.sluice.ops.OpsEnv;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad options of {@code dlq redrive} are one line naming the option, exit 2, before anything touches Kafka. */
@Timeout(10)
class DlqRedriveCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private static JsonObject pipeline(String name) {
        return new JsonObject()
                .put("name", name)
                .put("topics", new JsonArray(List.of("t")))
                .put("groupId", "g")
                .put("lambda", new JsonObject().put("functionName", "f").put("region", "us-east-1"))
                .put("dlqTopic", name + "-dlq");
    }

    private int run(List<JsonObject> pipelines, String... args) {
        JsonObject conf = new JsonObject()
                .put("kafka", new JsonObject().put("bootstrapServers", "127.0.0.1:1"))
                .put("generator", new JsonObject().put("enabled", false))
                .put(
                        "producer",
                        new JsonObject()
                                .put("enabled", false)
                                .put("routing", new JsonObject().put("defaultTopic", "t")))
                .put("pipelines", new JsonArray(List.copyOf(pipelines)));
        OpsEnv env = new OpsEnv(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(),
                path -> {
                    if (!path.equals("c.json")) {
                        throw new ConfigException("--config", "no such file " + path);
                    }
                    return SluiceConfig.fromJson(conf, Map.of());
                });
        return io.sluice.cli.StandardCommands.create().run(args, env);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void badOptionsNameTheOption() {
        assertThat(run(List.of(pipeline("a")), "dlq", "redrive")).isEqualTo(2);
        assertThat(err()).isEqualTo("sluice dlq redrive: --config: is required (--help for the usage)");
        err.reset();
        assertThat(run(List.of(pipeline("a"), pipeline("b")), "dlq", "redrive", "--config", "c.json"))
                .isEqualTo(2);
        assertThat(err()).contains("--pipeline: is required: the config has 2 pipelines [a, b]");
        err.reset();
        assertThat(run(List.of(pipeline("a")), "dlq", "redrive", "--config", "c.json", "--pipeline", "x"))
                .isEqualTo(2);
        assertThat(err()).contains("--pipeline: unknown pipeline 'x'; the config has [a]");
        err.reset();
        assertThat(run(
                        List.of(pipeline("a")),
                        "dlq",
                        "redrive",
                        "--config",
                        "c.json",
                        "--offset-from",
                        "9",
                        "--offset-to",
                        "3"))
                .isEqualTo(2);
        assertThat(err()).contains("--offset-from: must be <= --offset-to (3), got 9");
        err.reset();
        assertThat(run(List.of(pipeline("a")), "dlq", "redrive", "--config", "c.json", "--rate", "0"))
                .isEqualTo(2);
        assertThat(err()).contains("--rate: must be between 1 and 1000000, got 0");
        err.reset();
        assertThat(run(List.of(pipeline("a")), "dlq", "redrive", "--config", "c.json", "--from", "yesterday"))
                .isEqualTo(2);
        assertThat(err()).contains("--from: must be an ISO-8601 instant");
        err.reset();
        assertThat(run(List.of(pipeline("a")), "dlq", "redrive", "--config", "c.json", "--to-topic", "a-dlq"))
                .isEqualTo(2);
        assertThat(err()).contains("--to-topic: must not be the DLQ topic itself");
        err.reset();
        assertThat(run(List.of(pipeline("a")), "dlq", "redrive", "--config", "c.json", "--error-clas", "x"))
                .isEqualTo(2);
        assertThat(err()).contains("--error-clas: is not an option of this command");
    }

    @Test
    void helpListsTheOptions() {
        assertThat(run(List.of(), "dlq", "redrive", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("--error-class C", "--dry-run", "sluice-redrive-<selection id>");
    }
}
