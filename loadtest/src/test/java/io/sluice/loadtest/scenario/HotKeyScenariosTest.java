package io.sluice.loadtest.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.loadtest.RunOptions;
import io.sluice.loadtest.Scenarios;
import io.sluice.loadtest.run.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HotKeyScenariosTest {

    @Test
    void bothAreRegistered() {
        assertThat(Scenarios.byName("hot-key")).isPresent();
        assertThat(Scenarios.byName("single-key")).isPresent();
    }

    @Test
    void defaultsAreTheIssuesSetupAndTheOptionsOverrideThem() {
        RunSpec d = HotKeyScenarios.base(
                        "hot-key", RunOptions.parse(new String[] {"--scenario", "hot-key"}), 13_000, 0.3)
                .build();
        assertThat(d.rate()).isEqualTo(13_000);
        assertThat(d.partitions()).isEqualTo(12);
        assertThat(d.lambdaLatencyMs()).isEqualTo(950);
        assertThat(d.hotKeyShare()).isEqualTo(0.3);
        assertThat(d.loadSeconds()).isEqualTo(60);
        assertThat(d.keyDraw().hotShare()).isEqualTo(0.3);

        RunSpec o = HotKeyScenarios.base(
                        "hot-key",
                        RunOptions.parse(new String[] {
                            "--scenario", "hot-key", "--rate", "2000", "--duration", "20", "--lambda-latency-ms", "120"
                        }),
                        13_000,
                        0.3)
                .build();
        assertThat(o.rate()).isEqualTo(2_000);
        assertThat(o.loadSeconds()).isEqualTo(20);
        assertThat(o.lambdaLatencyMs()).isEqualTo(120);
    }

    @Test
    void withoutAHotKeyTheInputIsTodays() {
        assertThat(RunSpec.builder("x").build().keyDraw().hotShare()).isNull();
    }
}
