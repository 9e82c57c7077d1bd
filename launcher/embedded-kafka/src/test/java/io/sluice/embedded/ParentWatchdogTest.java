package io.sluice.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ParentWatchdogTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void childRunsTheDelegateAndExitsWhenStdinCloses(@TempDir Path tmp) throws Exception {
        Path bootstrap = BrokerClasspath.writeBootstrapDir(tmp.resolve("bootstrap"));
        String testClasses = Path.of(SleepingMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        // bootstrap first, so ParentWatchdogMain is loaded from the copied bytes
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", bootstrap + File.pathSeparator + testClasses,
                ParentWatchdogMain.class.getName(), SleepingMain.class.getName(), "a", "b")).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("ARGS=a,b");
            assertThat(child.isAlive()).isTrue();
            child.getOutputStream().close(); // what the OS does when the parent dies
            assertThat(child.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(1);
        } finally {
            child.destroyForcibly();
        }
    }
}
