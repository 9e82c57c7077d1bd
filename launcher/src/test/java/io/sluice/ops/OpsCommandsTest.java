package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OpsCommandsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final OpsEnv env = new OpsEnv(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of(),
            path -> {
                throw new ConfigException("--config", "not in this test");
            });

    /** Records what it was given; {@code dlq redrive} beside {@code dlq} checks the longest name wins. */
    private static class Probe implements OpsCommand {
        private final String name;
        String topic;
        boolean dryRun;

        Probe(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String summary() {
            return "probe " + name;
        }

        @Override
        public String usage() {
            return "  --topic T   the topic";
        }

        @Override
        public int run(CommandArgs args, OpsEnv env) {
            topic = args.required("topic");
            dryRun = args.flag("dry-run");
            args.done(false);
            return OK;
        }
    }

    private final Probe dlq = new Probe("dlq");
    private final Probe redrive = new Probe("dlq redrive");
    private final OpsCommands commands = new OpsCommands(List.of(dlq, redrive));

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theLongestMatchingNameRunsWithTheRestAsOptions() {
        assertThat(commands.run(new String[] {"dlq", "redrive", "--topic", "t1", "--dry-run"}, env))
                .isZero();
        assertThat(redrive.topic).isEqualTo("t1");
        assertThat(redrive.dryRun).isTrue();
        assertThat(dlq.topic).isNull();
        assertThat(commands.run(new String[] {"dlq", "--topic=t2"}, env)).isZero();
        assertThat(dlq.topic).isEqualTo("t2");
        assertThat(dlq.dryRun).isFalse();
    }

    @Test
    void helpListsTheCommandsAndEachCommandItsUsage() {
        assertThat(commands.run(new String[] {"help"}, env)).isZero();
        assertThat(out()).contains("dlq redrive", "probe dlq redrive", "-conf FILE");
        out.reset();
        assertThat(commands.run(new String[] {"dlq", "redrive", "--help"}, env)).isZero();
        assertThat(out()).contains("usage: java -jar sluice.jar dlq redrive", "--topic T");
        assertThat(redrive.topic).isNull(); // --help does not run it
    }

    @Test
    void badOptionsExitTwoWithOneLineNamingTheOption() {
        assertThat(commands.run(new String[] {"dlq", "redrive"}, env)).isEqualTo(2);
        assertThat(err()).isEqualTo("sluice dlq redrive: --topic: is required (--help for the usage)\n");
        err.reset();
        assertThat(commands.run(new String[] {"dlq", "redrive", "--topic", "t", "--topik", "x"}, env))
                .isEqualTo(2);
        assertThat(err()).contains("--topik: is not an option of this command");
        err.reset();
        assertThat(commands.run(new String[] {"dlq", "redrive", "--topic"}, env))
                .isEqualTo(2);
        assertThat(err()).contains("--topic: needs a value");
        err.reset();
        assertThat(commands.run(new String[] {"redrive"}, env)).isEqualTo(2);
        assertThat(err()).contains("unknown command 'redrive'");
    }

    @Test
    void aFailingCommandExitsOneWithItsReason() {
        OpsCommand boom = new Probe("boom") {
            @Override
            public int run(CommandArgs args, OpsEnv env) {
                throw new IllegalStateException("broker unreachable");
            }
        };
        assertThat(new OpsCommands(List.of(boom)).run(new String[] {"boom"}, env))
                .isEqualTo(1);
        assertThat(err()).isEqualTo("sluice boom: failed: broker unreachable\n");
    }

    @Test
    void typedOptionsNameTheOptionWhenWrong() {
        CommandArgs a = CommandArgs.parse(
                List.of(
                        "--rate",
                        "100",
                        "--from",
                        "2026-12-01T10:00:00Z",
                        "--window",
                        "30s",
                        "--until",
                        "1700000000000",
                        "--partition",
                        "1",
                        "--partition",
                        "3"),
                Set.of());
        assertThat(a.intIn("rate", 0, 1, 1000)).isEqualTo(100);
        assertThat(a.instant("from", null)).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(a.instant("until", null)).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(a.duration("window", null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(a.all("partition")).containsExactly("1", "3");
        a.done(false);
        CommandArgs bad =
                CommandArgs.parse(List.of("--rate", "0", "--from", "yesterday", "--window", "soon"), Set.of());
        assertThatThrownBy(() -> bad.intIn("rate", 0, 1, 1000)).hasMessage("--rate: must be between 1 and 1000, got 0");
        assertThatThrownBy(() -> bad.instant("from", null)).hasMessageContaining("--from: must be an ISO-8601 instant");
        assertThatThrownBy(() -> bad.duration("window", null)).hasMessageContaining("--window: must be a duration");
    }
}
