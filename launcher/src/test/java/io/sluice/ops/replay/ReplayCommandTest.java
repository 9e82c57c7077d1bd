package io.sluice.ops.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConfigException;
import io.sluice.ops.OpsEnv;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code replay}'s options (checked before any request) and its table. */
@Timeout(10)
class ReplayCommandTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        OpsEnv env = new OpsEnv(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(),
                path -> {
                    throw new ConfigException("--config", "unused");
                });
        return io.sluice.cli.StandardCommands.create().run(args, env);
    }

    private String err() {
        String e = err.toString(StandardCharsets.UTF_8).strip();
        err.reset();
        return e;
    }

    @Test
    void badOptionsNameTheOption() {
        assertThat(run("replay", "--to", "earliest")).isEqualTo(2);
        assertThat(err()).isEqualTo("sluice replay: --pipeline: is required (--help for the usage)");
        assertThat(run("replay", "--pipeline", "standard", "--to", "yesterday")).isEqualTo(2);
        assertThat(err()).contains("--to: must be one of timestamp, earliest, latest, offsets, got 'yesterday'");
        assertThat(run("replay", "--pipeline", "standard", "--to", "timestamp")).isEqualTo(2);
        assertThat(err()).contains("--timestamp: is required with --to timestamp");
        assertThat(run("replay", "--pipeline", "standard", "--to", "earliest", "--timestamp", "5"))
                .isEqualTo(2);
        assertThat(err()).contains("--timestamp: applies to --to timestamp only");
        assertThat(run("replay", "--pipeline", "standard", "--to", "offsets")).isEqualTo(2);
        assertThat(err()).contains("--offset: is required (at least once) with --to offsets");
        assertThat(run("replay", "--pipeline", "standard", "--to", "offsets", "--offset", "mt-c400=3"))
                .isEqualTo(2);
        assertThat(err()).contains("--offset: must be TOPIC:PARTITION=OFFSET (e.g. mt-c400:3=1200), got 'mt-c400=3'");
        assertThat(run("replay", "--pipeline", "standard", "--to", "latest", "--drain-timeout", "20m"))
                .isEqualTo(2);
        assertThat(err()).contains("--drain-timeout: must be between 100ms and 300s");
        assertThat(run("replay", "--pipeline", "standard", "--to", "latest", "--admin", "ftp://x"))
                .isEqualTo(2);
        assertThat(err()).contains("--admin: must be an http(s) URL");
    }

    @Test
    void offsetsAndTable() {
        assertThat(ReplayCommand.offset("my:topic:3=1200"))
                .isEqualTo(new JsonObject()
                        .put("topic", "my:topic")
                        .put("partition", 3)
                        .put("offset", 1200L));
        assertThatThrownBy(() -> ReplayCommand.offset("t:-1=5")).isInstanceOf(ConfigException.class);
        String t = ReplayCommand.text(new JsonObject("{\"pipeline\":\"standard\",\"dryRun\":true,\"to\":\"earliest\","
                + "\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"committed\":9,\"target\":4,\"end\":9,\"redelivered\":5,"
                + "\"skipped\":0}],\"redelivered\":5,\"skipped\":0,\"notAssigned\":[\"t-7\"]}"));
        assertThat(t.lines())
                .containsExactly(
                        "pipeline standard: replay to earliest (dry run: nothing moved)",
                        "topic                partition    committed       target          end  redelivered   skipped",
                        "t                            0            9            4            9            5         0",
                        "5 record(s) would be delivered again, 0 skipped",
                        "not assigned to this instance (left alone): [\"t-7\"]");
    }
}
