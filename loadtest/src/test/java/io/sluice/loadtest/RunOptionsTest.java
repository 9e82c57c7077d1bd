package io.sluice.loadtest;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunOptionsTest {
    @Test
    void parsesEveryOption() {
        RunOptions o = RunOptions.parse(new String[]{"--scenario", "producer-baseline", "--duration", "30", "--rate=13000",
                "--out", "/tmp/x", "--lambda-latency-ms", "50", "--ordering", "KEY"});
        assertThat(o).isEqualTo(new RunOptions("producer-baseline", 30, 13000.0, Path.of("/tmp/x"), 50L, "key"));
    }

    @Test
    void defaults() {
        RunOptions o = RunOptions.parse(new String[]{"--scenario", "s"});
        assertThat(o.durationSeconds()).isEqualTo(60);
        assertThat(o.rate()).isNull();
        assertThat(o.rateOr(7)).isEqualTo(7);
        assertThat(o.out()).isEqualTo(Path.of("target", "loadtest", "s"));
    }

    @Test
    void badOptionsNameTheOption() {
        assertThatThrownBy(() -> RunOptions.parse(new String[]{})).hasMessageStartingWith("--scenario");
        assertThatThrownBy(() -> RunOptions.parse(new String[]{"--scenario", "s", "--duration", "0"})).hasMessageStartingWith("--duration");
        assertThatThrownBy(() -> RunOptions.parse(new String[]{"--scenario", "s", "--rate", "x"})).hasMessageStartingWith("--rate");
        assertThatThrownBy(() -> RunOptions.parse(new String[]{"--scenario", "s", "--ordering", "none"})).hasMessageStartingWith("--ordering");
        assertThatThrownBy(() -> RunOptions.parse(new String[]{"--scenario", "s", "--bogus", "1"})).hasMessageStartingWith("--bogus");
        assertThatThrownBy(() -> RunOptions.parse(new String[]{"--scenario"})).hasMessageStartingWith("--scenario");
    }

    @Test
    void producerBaselineIsRegistered() {
        assertThat(Scenarios.byName("producer-baseline")).isPresent();
        assertThat(Scenarios.byName("nope")).isEmpty();
    }
}
