package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.launcher.ConfigOverrides;
import io.sluice.launcher.SluiceConfig;
import io.sluice.launcher.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Defect: the build's own {@code -Dsluice.*} properties that are not config paths ({@code sluice.ec2.jar}, set for
 * every IT by failsafe; {@code sluice.test.*} of the blocked-thread detector) were applied as config overrides, so
 * a command reading its config inside such a JVM failed with
 * {@code ec2: unknown key; allowed here: admin, cluster, …} (seen in RedriveReplayIT: exit 2 instead of 0).
 */
@Timeout(5)
class ToolPropertiesTest {
    @Test
    void buildAndTestPropertiesAreNotConfigOverrides() {
        JsonObject out = ConfigOverrides.apply(
                TestConfigs.local(),
                Map.of(),
                Map.of(
                        "sluice.jar",
                        "/x/sluice.jar",
                        "sluice.ec2.jar",
                        "/x/sluice-ec2.jar",
                        "sluice.test.failOnBlockedThread",
                        "false",
                        "sluice.test.maxEventLoopExecuteTimeMs",
                        "500"));
        assertThat(out).isEqualTo(TestConfigs.local());
        assertThat(SluiceConfig.fromJson(out).pipelines()).hasSize(1);
    }
}
