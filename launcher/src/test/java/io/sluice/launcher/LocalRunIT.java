package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's run command as a new user runs it, in the Vert.x launcher form:
 * {@code java -jar sluice.jar -conf conf/local.json}. Counts rise in the status line; SIGTERM stops everything,
 * the embedded broker child included.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LocalRunIT {
    private static final Pattern STATUS = Pattern.compile("produced=(\\d+) .* delivered=(\\d+) .* committed=(\\d+)");

    @Test
    void countsRiseAndSigtermStopsEverything() throws Exception {
        Path root = TestConfigs.confDir().getParent();
        try (JarProcess p = JarProcess.start(
                root,
                List.of("-Dsluice.status.intervalMs=1000", "-Dsluice.admin.port=0", "-Dsluice.ingest.port=0"),
                "-conf",
                "conf/local.json")) {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        long[] last = lastStatus(p.stdout);
                        return last != null && last[0] > 2_000 && last[1] > 1_000 && last[2] > 1_000;
                    });
            List<ProcessHandle> children = p.process.descendants().toList();
            assertThat(children).as("the embedded broker runs as a child JVM").isNotEmpty();

            // SIGTERM through the handle: Process.destroy() would also close our end of its stdout
            p.process.toHandle().destroy();
            assertThat(p.process.waitFor(90, TimeUnit.SECONDS))
                    .as("stops within 90 s")
                    .isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
            assertThat(p.process.exitValue()).as("exit status after SIGTERM").isIn(0, 143);
            // the last lines may still be in the pipe when the process is gone: wait for the reader (bounded)
            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertThat(String.join("\n", p.stdout))
                            .contains("Stopping Sluice")
                            .contains("Sluice stopped"));
        }
    }

    private static long[] lastStatus(List<String> lines) {
        long[] last = null;
        for (String l : lines) {
            Matcher m = STATUS.matcher(l);
            if (m.find()) {
                last = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
            }
        }
        return last;
    }
}
