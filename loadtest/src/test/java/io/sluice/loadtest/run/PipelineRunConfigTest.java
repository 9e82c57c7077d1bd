package io.sluice.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PipelineRunConfigTest {

    private static JsonObject pipeline(RunSpec spec) {
        return new PipelineRun(spec, Path.of("target", "unused")).pipelineJson("http://127.0.0.1:1", 0);
    }

    @Test
    void theBatchModeIsWrittenBesideTheScenariosBatchOverrides() {
        JsonObject p = pipeline(RunSpec.builder("x")
                .batchMode("fixed")
                .pipeline(new JsonObject().put("batch", new JsonObject().put("maxRecords", 500)))
                .build());
        assertThat(p.getJsonObject("batch"))
                .isEqualTo(new JsonObject().put("maxRecords", 500).put("mode", "fixed"));

        JsonObject a = pipeline(RunSpec.builder("x").batchMode("adaptive").build());
        assertThat(a.getJsonObject("batch")).isEqualTo(new JsonObject().put("mode", "adaptive"));
    }

    @Test
    void withoutABatchModeNoBatchKeyIsWritten() {
        assertThat(pipeline(RunSpec.builder("x").build()).containsKey("batch")).isFalse();
        JsonObject p = pipeline(RunSpec.builder("x")
                .pipeline(new JsonObject().put("batch", new JsonObject().put("maxRecords", 500)))
                .build());
        assertThat(p.getJsonObject("batch").containsKey("mode")).isFalse();
    }

    @Test
    void onlyTheTwoModesAreAccepted() {
        assertThatThrownBy(() -> RunSpec.builder("x").batchMode("both")).hasMessageContaining("fixed or adaptive");
    }
}
