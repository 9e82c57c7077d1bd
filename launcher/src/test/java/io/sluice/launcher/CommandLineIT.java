package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line of the fat jar: a mistyped option or an option without its value exits 2 with one line, never
 * starting the local config (with its development token) in its place; the launcher form {@code -conf FILE} reports
 * a broken file as {@code --config} did.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommandLineIT {
    @TempDir
    Path dir;

    private List<String> run(String... args) throws Exception {
        // the repository root as working directory: conf/local.json is there, the fallback this must not take
        try (JarProcess p = JarProcess.start(
                TestConfigs.confDir().getParent(), List.of("-Dsluice.admin.port=0", "-Dsluice.ingest.port=0"), args)) {
            assertThat(p.process.waitFor(30, TimeUnit.SECONDS))
                    .as("exits at once, output: %s %s", p.stdout, p.stderr)
                    .isTrue();
            assertThat(p.process.exitValue())
                    .as("exit status, stderr: %s", p.stderr)
                    .isEqualTo(2);
            p.process.getErrorStream().close();
            return p.stderr;
        }
    }

    @Test
    void mistypedOptionExits2() throws Exception {
        List<String> err = run("--confg", "conf/msk-ec2.json");
        assertThat(err).hasSize(1);
        assertThat(err.get(0)).startsWith("sluice: invalid command line: --confg: is not an option");
    }

    @Test
    void bareConfigExits2() throws Exception {
        List<String> err = run("--config");
        assertThat(err).hasSize(1);
        assertThat(err.get(0))
                .isEqualTo(
                        "sluice: invalid command line: --config: needs a value (the config file) (-h for the usage)");
    }

    @Test
    void launcherFormReportsABrokenFileInOneLine() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"kafka\": ");
        List<String> err = run("-conf", file.toString());
        assertThat(err).hasSize(1);
        assertThat(err.get(0)).contains("not valid JSON");
    }

    @Test
    void severalInstancesThroughDeploymentOptionsExit2() throws Exception {
        List<String> err = run("-conf", "conf/local.json", "-deployment-options", "{\"instances\":3}");
        assertThat(err).hasSize(1);
        assertThat(err.get(0))
                .startsWith("sluice: invalid command line: -deployment-options: instances must be 1, got 3");
    }
}
