package io.sluice.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunOptionsTest {
    @Test
    void parsesEveryOption() {
        RunOptions o = RunOptions.parse(new String[] {
            "--scenario",
            "producer-baseline",
            "--duration",
            "30",
            "--rate=13000",
            "--out",
            "/tmp/x",
            "--lambda-latency-ms",
            "50",
            "--ordering",
            "KEY"
        });
        assertThat(o).isEqualTo(new RunOptions("producer-baseline", 30, 13000.0, Path.of("/tmp/x"), 50L, "key"));
    }

    @Test
    void defaults() {
        RunOptions o = RunOptions.parse(new String[] {"--scenario", "s"});
        assertThat(o.durationSeconds()).isEqualTo(60);
        assertThat(o.rate()).isNull();
        assertThat(o.rateOr(7)).isEqualTo(7);
        assertThat(o.out()).isEqualTo(Path.of("target", "loadtest", "s"));
    }

    @Test
    void badOptionsNameTheOption() {
        assertThatThrownBy(() -> RunOptions.parse(new String[] {})).hasMessageStartingWith("--scenario");
        assertThatThrownBy(() -> RunOptions.parse(new String[] {"--scenario", "s", "--duration", "0"}))
                .hasMessageStartingWith("--duration");
        assertThatThrownBy(() -> RunOptions.parse(new String[] {"--scenario", "s", "--rate", "x"}))
                .hasMessageStartingWith("--rate");
        assertThatThrownBy(() -> RunOptions.parse(new String[] {"--scenario", "s", "--ordering", "none"}))
                .hasMessageStartingWith("--ordering");
        assertThatThrownBy(() -> RunOptions.parse(new String[] {"--scenario", "s", "--bogus", "1"}))
                .hasMessageStartingWith("--bogus");
        assertThatThrownBy(() -> RunOptions.parse(new String[] {"--scenario"})).hasMessageStartingWith("--scenario");
    }

    @Test
    void batchModeIsParsedAndResolvedPerScenarioDefault() {
        assertThat(RunOptions.parse(new String[] {"--scenario", "s", "--batch-mode", "FIXED"})
                        .batchMode())
                .isEqualTo("fixed");
        assertThat(RunOptions.parse(new String[] {"--scenario", "s", "--batch-mode=adaptive"})
                        .batchMode())
                .isEqualTo("adaptive");
        RunOptions both = RunOptions.parse(new String[] {"--scenario", "s", "--batch-mode", "both"});
        assertThat(both.batchModes(false))
                .as("given, every scenario passes it on")
                .containsExactly("fixed", "adaptive");
        assertThat(both.batchModes(true)).containsExactly("fixed", "adaptive");

        RunOptions absent = RunOptions.parse(new String[] {"--scenario", "s"});
        assertThat(absent.batchMode()).isNull();
        assertThat(absent.batchModes(true))
                .as("side-by-side scenarios: fixed then adaptive")
                .containsExactly("fixed", "adaptive");
        assertThat(absent.batchModes(false))
                .as("others: the engine's default, no batch.mode")
                .containsExactly((String) null);

        RunOptions one = RunOptions.parse(new String[] {"--scenario", "s", "--batch-mode", "fixed"});
        assertThat(one.batchModes(true)).containsExactly("fixed");
        assertThat(one.batchModes(false)).containsExactly("fixed");
        assertThat(one.withBatchMode("adaptive").batchMode()).isEqualTo("adaptive");
        assertThat(one.withOut(Path.of("o")).batchMode())
                .as("the narrowing keeps the rest")
                .isEqualTo("fixed");
    }

    @Test
    void aBadBatchModeIsOneLineNamingTheOption() {
        assertThatThrownBy(() -> RunOptions.parse(new String[] {"--scenario", "s", "--batch-mode", "dynamic"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--batch-mode: must be fixed, adaptive or both, got 'dynamic'");
        assertThatThrownBy(() -> RunOptions.parse(new String[] {"--scenario", "s", "--batch-mode"}))
                .hasMessage("--batch-mode: needs a value");
        assertThatThrownBy(() -> new RunOptions("s", null, null, Path.of("o"), null, null, "x"))
                .hasMessageStartingWith("--batch-mode")
                .hasMessageNotContaining("\n");
    }

    @Test
    void usageNamesTheBatchModeOption() {
        assertThat(RunOptions.USAGE)
                .contains("[--batch-mode fixed|adaptive|both]")
                .doesNotContain("\n");
    }

    @Test
    void producerBaselineIsRegistered() {
        assertThat(Scenarios.byName("producer-baseline")).isPresent();
        assertThat(Scenarios.byName("nope")).isEmpty();
    }
}
