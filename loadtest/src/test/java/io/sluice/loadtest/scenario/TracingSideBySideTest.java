package io.sluice.loadtest.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.loadtest.RunOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TracingSideBySideTest {

    @Test
    void theOptionIsParsedAndBadValuesAreNamed() {
        RunOptions o = RunOptions.parse(new String[] {"--scenario", "steady", "--tracing", "BOTH", "--out", "/tmp/t"});
        assertThat(o.tracing()).isEqualTo("both");
        assertThat(o.tracingOn()).isFalse();
        assertThat(TracingSideBySide.offRun(o).out()).isEqualTo(Path.of("/tmp/t/tracing-off"));
        assertThat(TracingSideBySide.offRun(o).tracingOn()).isFalse();
        assertThat(TracingSideBySide.onRun(o).tracingOn()).isTrue();
        assertThat(TracingSideBySide.onRun(o).out()).isEqualTo(Path.of("/tmp/t"));
        assertThat(RunOptions.parse(new String[] {"--scenario", "s"}).tracing()).isNull();
        assertThatThrownBy(() -> RunOptions.parse(new String[] {"--scenario", "s", "--tracing", "yes"}))
                .hasMessage("--tracing: must be on, off or both, got 'yes'");
    }

    @Test
    void theComparisonReadsEachRunsCpuWindow() {
        JsonObject off = report(4.0, 13_000.0, 250.0);
        JsonObject on = report(5.0, 12_990.0, 260.0);
        JsonObject c = TracingSideBySide.compare(off, on);
        assertThat(c.getJsonObject("off").getDouble("microsPerEventSluice")).isEqualTo(4.0);
        assertThat(c.getJsonObject("on").getDouble("microsPerEventSluice")).isEqualTo(5.0);
        assertThat(c.getJsonObject("on").getValue("latencyP99Ms")).isEqualTo(260.0);
        assertThat(c.getDouble("cpuRatio")).isEqualTo(1.25);
        assertThat(TracingSideBySide.compare(new JsonObject(), on).getValue("cpuRatio"))
                .isNull();
    }

    private static JsonObject report(double micros, double delivered, double p99) {
        return new JsonObject()
                .put("deliveredPerSecond", delivered)
                .put("passed", true)
                .put("latencyMs", new JsonObject().put("p99", p99))
                .put(
                        "cpu",
                        new JsonObject()
                                .put(
                                        "window",
                                        new JsonObject()
                                                .put("microsPerEvent", new JsonObject().put("sluice", micros))));
    }
}
