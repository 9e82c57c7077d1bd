package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A bad configuration exits non-zero at start with one readable line naming the key and what is allowed. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BadConfigIT {
    @TempDir
    Path dir;

    private List<String> runWith(Consumer<JsonObject> breakIt, int expectedExit) throws Exception {
        JsonObject conf = TestConfigs.local();
        breakIt.accept(conf);
        Path file = dir.resolve("bad.json");
        Files.writeString(file, conf.encodePrettily());
        try (JarProcess p = JarProcess.start(dir, List.of(), "--config", file.toString())) {
            assertThat(p.process.waitFor(30, TimeUnit.SECONDS))
                    .as("exits quickly")
                    .isTrue();
            assertThat(p.process.exitValue()).isEqualTo(expectedExit);
            p.process.getErrorStream().close();
            return p.stderr;
        }
    }

    private static JsonObject pipeline(JsonObject conf) {
        return conf.getJsonArray("pipelines").getJsonObject(0);
    }

    @Test
    void negativeBatchSize() throws Exception {
        List<String> err = runWith(c -> pipeline(c).getJsonObject("batch").put("maxRecords", -5), 2);
        assertThat(err).hasSize(1);
        assertThat(err.get(0))
                .isEqualTo(
                        "sluice: invalid configuration: pipelines[0].batch.maxRecords: must be between 1 and 100000, got -5");
    }

    @Test
    void unknownEnumValue() throws Exception {
        List<String> err = runWith(c -> pipeline(c).put("ordering", "random"), 2);
        assertThat(err).hasSize(1);
        assertThat(err.get(0))
                .contains("pipelines[0].ordering")
                .contains("partition, key")
                .contains("'random'");
    }

    @Test
    void missingRequiredKey() throws Exception {
        List<String> err = runWith(c -> pipeline(c).remove("groupId"), 2);
        assertThat(err).hasSize(1);
        assertThat(err.get(0)).contains("pipelines[0].groupId").contains("is required");
    }

    @Test
    void misspelledKeyIsRejectedNotIgnored() throws Exception {
        List<String> err = runWith(c -> pipeline(c).getJsonObject("batch").put("lingerMS", 5), 2);
        assertThat(err).hasSize(1);
        assertThat(err.get(0))
                .contains("pipelines[0].batch.lingerMS")
                .contains("unknown key")
                .contains("lingerMs");
    }

    @Test
    void notJson() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"kafka\": ");
        try (JarProcess p = JarProcess.start(dir, List.of(), "--config", file.toString())) {
            assertThat(p.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.process.exitValue()).isEqualTo(2);
            p.process.getErrorStream().close();
            assertThat(p.stderr).hasSize(1);
            assertThat(p.stderr.get(0)).contains("not valid JSON");
        }
    }
}
