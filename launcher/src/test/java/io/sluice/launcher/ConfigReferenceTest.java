package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigReference;
import io.sluice.config.Key;
import io.sluice.config.Section;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/configuration.md's table is generated from the settings classes' key definitions ({@link SluiceConfig#SECTION}
 * and the sections under it): this fails when the file is stale. Regenerate with
 * {@code mvn -B -o -pl launcher test -Dtest=ConfigReferenceTest -Dsluice.docs.write=true}.
 */
@Timeout(30)
class ConfigReferenceTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void theReferenceInTheDocsIsTheOneTheDefinitionsGenerate() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(ConfigReference.BEGIN);
        int end = doc.indexOf(ConfigReference.END);
        assertThat(begin)
                .as("docs/configuration.md has the generated block's markers")
                .isGreaterThanOrEqualTo(0);
        assertThat(end).isGreaterThan(begin);
        String current = doc.substring(begin, end + ConfigReference.END.length() + 1);
        String generated = ConfigReference.markdown(SluiceConfig.SECTION);
        if (Boolean.getBoolean("sluice.docs.write") && !current.equals(generated)) {
            Files.writeString(
                    DOC,
                    doc.substring(0, begin) + generated + doc.substring(end + ConfigReference.END.length() + 1),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(current)
                .as("docs/configuration.md is stale; regenerate it: mvn -B -o -pl launcher test "
                        + "-Dtest=ConfigReferenceTest -Dsluice.docs.write=true")
                .isEqualTo(generated);
    }

    @Test
    void everyKeyOfEveryShippedConfigIsDeclaredAndDocumented() throws IOException {
        // Cfg bound to a section refuses to read an undeclared key, so parsing a config that sets every section
        // proves the reads and the documented keys are the same keys
        String reference = ConfigReference.markdown(SluiceConfig.SECTION);
        for (String key : new String[] {
            "pipelines[].batch.maxWaitMs",
            "pipelines[].breaker.maxFailures",
            "pipelines[].validateJson",
            "kafka.tls.s3.endpoint",
            "ingest.tls.clientAuth",
            "admin.maxConnections",
            "producer.spool.fsync",
            "cluster.allowedCallers",
            "ingest.auth.tokensFile",
            "kafka.tls.key.passwordEnv"
        }) {
            assertThat(reference).contains("| `" + key + "` |");
        }
        int parsed = 0;
        try (var confs = Files.list(Path.of("..", "conf"))) {
            for (Path p :
                    confs.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonObject json = new JsonObject(Files.readString(p));
                try {
                    SluiceConfig.fromJson(json, java.util.Map.of("SLUICE_ADMIN_TOKEN", "a-token-for-tests"));
                    parsed++;
                } catch (io.sluice.config.ConfigException e) {
                    // msk-ec2.json names key files of an EC2 host; every key before them was read through its
                    // definition
                    assertThat(e.getMessage()).as(p.toString()).doesNotContain("unknown key");
                }
            }
        }
        assertThat(parsed).as("shipped configs that parse here").isGreaterThanOrEqualTo(3);
    }

    @Test
    void readingAnUndeclaredKeyIsAProgrammingErrorNamedAtOnce() {
        Key<Integer> declared = Key.integer("a", 1, 0, 10, "declared");
        Key<Integer> stray = Key.integer("b", 1, 0, 10, "not declared");
        Cfg c = new Cfg(new JsonObject().put("a", 3), "x", Section.of("test", declared));
        assertThat(c.get(declared)).isEqualTo(3);
        assertThatThrownBy(() -> c.get(stray))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'x.b' is read but not declared");
    }
}
