package io.sluice.ops.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.ConfigException;
import io.sluice.ops.OpsCommand;
import io.sluice.ops.OpsEnv;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad options of hot-keys, plan partitions and partitions increase: exit 2 and one line naming the option. */
@Timeout(10)
class PartitionCommandsOptionsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final OpsEnv env = new OpsEnv(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of(),
            path -> {
                throw new ConfigException("--config", "not in this test");
            });

    private String usageError(String... args) {
        assertThat(io.sluice.cli.StandardCommands.create().run(args, env)).isEqualTo(OpsCommand.USAGE);
        String e = err.toString(StandardCharsets.UTF_8).strip();
        err.reset();
        assertThat(e.lines()).hasSize(1);
        return e;
    }

    @Test
    void eachBadOptionIsNamed() {
        assertThat(usageError("hot-keys", "--side", "left"))
                .contains("--side: must be producer, consumer or all, got 'left'");
        assertThat(usageError("hot-keys", "--top", "0")).contains("--top: must be between 1 and 100");
        assertThat(usageError("hot-keys", "--admin", "ftp://x")).contains("--admin: must be an http(s) URL");
        assertThat(usageError("hot-keys", "--sid", "producer")).contains("--sid: is not an option of this command");
        assertThat(usageError("plan", "partitions", "--target-rate", "100")).contains("--topic: is required");
        assertThat(usageError("plan", "partitions", "--topic", "t")).contains("--target-rate: is required");
        assertThat(usageError("plan", "partitions", "--topic", "t", "--target-rate", "fast"))
                .contains("--target-rate: must be a non-negative number");
        assertThat(usageError("plan", "partitions", "--topic", "t", "--target-rate", "0"))
                .contains("--target-rate: must be above 0");
        assertThat(usageError("plan", "partitions", "--topic", "t", "--target-rate", "9", "--headroom", "2"))
                .contains("--headroom: must be between 0.1 and 1");
        assertThat(usageError("partitions", "increase", "--topic", "t", "--config", "c"))
                .contains("--to: is required");
        assertThat(usageError("partitions", "increase", "--topic", "t", "--to", "24"))
                .contains("--config: is required");
        assertThat(usageError(
                        "partitions", "increase", "--topic", "t", "--to", "24", "--config", "c", "--sample", "0s"))
                .contains("--sample: must be above 0");
        // the config is read before anything reaches Kafka or the instance
        assertThat(usageError("partitions", "increase", "--topic", "t", "--to", "24", "--config", "c"))
                .contains("--config: not in this test");
    }

    @Test
    void theCommandsAreListedWithTheirUsage() {
        assertThat(io.sluice.cli.StandardCommands.create().run(new String[] {"help"}, env))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("hot-keys", "plan partitions", "partitions increase");
        out.reset();
        assertThat(io.sluice.cli.StandardCommands.create().run(new String[] {"partitions", "increase", "--help"}, env))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--force", "--dry-run", "--settle");
    }

    @Test
    void anUnreachableInstanceIsAFailureNotACrash() {
        assertThat(io.sluice.cli.StandardCommands.create()
                        .run(new String[] {"hot-keys", "--admin", "http://127.0.0.1:1", "--timeout", "2s"}, env))
                .isEqualTo(OpsCommand.FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("sluice hot-keys: failed: cannot reach the admin API at http://127.0.0.1:1");
    }
}
