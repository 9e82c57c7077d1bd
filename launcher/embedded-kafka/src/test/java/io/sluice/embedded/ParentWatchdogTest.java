package io.sluice.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        String testClasses = Path.of(SleepingMain.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        // bootstrap first, so ParentWatchdogMain is loaded from the copied bytes
        Process child = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        bootstrap + File.pathSeparator + testClasses,
                        ParentWatchdogMain.class.getName(),
                        SleepingMain.class.getName(),
                        "a",
                        "b"))
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("ARGS=a,b");
            assertThat(child.isAlive()).isTrue();
            child.getOutputStream().close(); // what the OS does when the parent dies
            assertThat(child.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(1);
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * The fallback without {@code setsid}: a Ctrl-C reaches the child too (same process group), and
     * it must not end it; only the parent does, later (here: by closing the pipe).
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void childAskedToIgnoreTerminalSignalsSurvivesSigintAndStillExitsWhenStdinCloses(@TempDir Path tmp)
            throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/kill")) || Files.isExecutable(Path.of("/usr/bin/kill")), "kill(1)");
        Path bootstrap = BrokerClasspath.writeBootstrapDir(tmp.resolve("bootstrap"));
        String testClasses = Path.of(SleepingMain.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        List<String> cmd = new ArrayList<>(TestSupport.defaultSigint());
        cmd.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + ParentWatchdogMain.IGNORE_TERMINAL_SIGNALS_PROPERTY + "=true",
                "-cp",
                bootstrap + File.pathSeparator + testClasses,
                ParentWatchdogMain.class.getName(),
                SleepingMain.class.getName()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("ARGS=");
            assertThat(TestSupport.sigintIgnored(child.pid()))
                    .as("SIGINT inherited as ignored (nothing to test)")
                    .isFalse();
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid()))
                    .inheritIO()
                    .start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue()).isZero();
            // the handler's line, or end of stream (null) if SIGINT ended the child
            assertThat(out.readLine())
                    .isEqualTo("[sluice-parent-watchdog] ignoring SIGINT; the parent stops this process");
            assertThat(child.isAlive()).isTrue();
            child.getOutputStream().close();
            assertThat(child.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue())
                    .as("exit through the watchdog, not SIGINT (130)")
                    .isEqualTo(1);
        } finally {
            child.destroyForcibly();
        }
    }
}
