package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LaunchArgsTest {
    private static LaunchArgs parse(String... args) {
        return LaunchArgs.parse(args, Map.of());
    }

    @Test
    void launcherFormAndTheOldFormNameTheConfig() {
        assertThat(parse("-conf", "conf/msk-ec2.json").configPath()).isEqualTo("conf/msk-ec2.json");
        assertThat(parse("--config", "a.json").configPath()).isEqualTo("a.json");
        assertThat(parse("--conf=b.json").configPath()).isEqualTo("b.json");
        assertThat(parse("-CONF", "c.json").configPath())
                .as("options are case-insensitive, as the launcher's")
                .isEqualTo("c.json");
    }

    @Test
    void withoutAConfigTheEnvironmentThenLocalJson() {
        assertThat(parse().configPath()).isEqualTo("conf/local.json");
        assertThat(LaunchArgs.parse(new String[0], Map.of("SLUICE_CONFIG", "/etc/sluice/x.json"))
                        .configPath())
                .isEqualTo("/etc/sluice/x.json");
    }

    @Test
    void launcherOptionsPassThrough() {
        LaunchArgs a = parse(
                "-options",
                "{\"eventLoopPoolSize\":4}",
                "-conf",
                "x.json",
                "-instances",
                "1",
                "-cluster-host",
                "10.0.1.5");
        assertThat(a.passThrough())
                .containsExactly(
                        "-options", "{\"eventLoopPoolSize\":4}", "-instances", "1", "-cluster-host", "10.0.1.5");
    }

    @Test
    void aMistypedOptionIsAnErrorNotAFallbackToTheLocalConfig() {
        assertThatThrownBy(() -> parse("--confg", "conf/msk-ec2.json"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--confg: is not an option");
        assertThatThrownBy(() -> parse("conf/msk-ec2.json"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("-conf FILE");
    }

    @Test
    void aMissingValueIsAnError() {
        for (List<String> args : List.of(
                List.of("--config"),
                List.of("-conf"),
                List.of("--config", "-options", "{}"),
                List.of("--config="),
                List.of("-options"))) {
            assertThatThrownBy(() -> parse(args.toArray(String[]::new)))
                    .as("%s", args)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("needs a value");
        }
    }

    @Test
    void clusterFlagAndSeveralInstancesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> parse("-cluster")).hasMessageContaining("cluster.enabled");
        assertThatThrownBy(() -> parse("-instances", "4")).hasMessageContaining("once per JVM");
        assertThatThrownBy(() -> parse("-conf", "a.json", "--config", "b.json")).hasMessageContaining("twice");
    }
}
