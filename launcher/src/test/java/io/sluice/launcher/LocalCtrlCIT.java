package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ctrl-C on a local run, as a terminal does it: the fat jar with {@code conf/local.json} runs as the
 * leader of its own process group (the terminal's foreground job) and SIGINT goes to the whole group.
 * Sluice must stop within 5 s without a WARN or ERROR line, commit its final offsets to a broker that
 * is still up, and leave no broker JVM behind. Linux ({@code setsid}, {@code kill}, {@code /proc}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LocalCtrlCIT {
    private static final Pattern STATUS =
            Pattern.compile("produced=(\\d+) .* delivered=(\\d+) .* committed=(\\d+) .* inflight=(\\d+)");
    /** Logback's level column, and java.util.logging's (the embedded-kafka helper logs through System.Logger). */
    private static final Pattern WARN_OR_ERROR = Pattern.compile("\\b(WARN|ERROR)\\b|^(WARNING|SEVERE):");

    private static final Pattern FINAL_COMMIT =
            Pattern.compile("pipeline=standard stopping: \\d+ record\\(s\\) still in flight; committing \\{.+}");
    private static final long STOP_BUDGET_MS = 5_000;

    @Test
    void ctrlCStopsWithinFiveSecondsQuietlyAfterTheFinalCommit() throws Exception {
        assumeThat(onPath("setsid")).as("setsid (util-linux) on PATH").isTrue();
        assumeThat(Files.isDirectory(Path.of("/proc/self"))).as("/proc").isTrue();
        Path root = TestConfigs.confDir().getParent();
        List<String> cmd = new ArrayList<>(List.of("setsid"));
        if (envResetsSignals()) {
            // a shell runs its foreground job with SIGINT at its default even when it was started ignoring it
            cmd.addAll(List.of("env", "--default-signal=INT"));
        }
        cmd.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsluice.status.intervalMs=1000",
                "-Dsluice.admin.port=0",
                "-Dsluice.ingest.port=0",
                "-jar",
                JarProcess.jar().toAbsolutePath().toString(),
                "--config",
                "conf/local.json"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("SLUICE_"));
        Process sluice = pb.start();
        List<String> out = new CopyOnWriteArrayList<>();
        Thread reader = OutputPump.start(sluice.getInputStream(), out, "LocalCtrlCIT");
        List<ProcessHandle> children = List.of();
        try {
            // setsid without --fork execs: the handle is the JVM's, and it leads a new group, like a terminal's job
            await("setsid exec'd java as a group leader")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> processGroup(sluice.pid()) == sluice.pid()
                            && sluice.toHandle().info().command().orElse("").endsWith("/java"));
            long pgid = sluice.pid();
            assertThat(sigintIgnored(sluice.pid()))
                    .as("SIGINT ignored in the JVM under test (inherited; a terminal's "
                            + "foreground job never has it so): nothing to test")
                    .isFalse();
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        assertThat(sluice.isAlive())
                                .as("Sluice runs; output:\n%s", String.join("\n", out))
                                .isTrue();
                        // a user's Ctrl-C comes after a while: the start-up backlog (records produced before the
                        // consumer's first assignment) has been worked off, so in flight is about a second's worth
                        long[] last = lastStatus(out);
                        return last != null && last[1] > 1_000 && last[2] > 1_000 && last[3] < 2_000;
                    });
            children = sluice.descendants().filter(ProcessHandle::isAlive).toList();
            assertThat(children).as("the embedded broker runs as a child JVM").isNotEmpty();
            int before = out.size();

            long t0 = System.nanoTime();
            Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
                    .as("kill -INT -- -%d", pgid)
                    .isTrue();
            boolean exited = sluice.waitFor(90, TimeUnit.SECONDS);
            long stopMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(exited).as("Sluice exits after SIGINT at all (90 s)").isTrue();
            reader.join(15_000);
            List<String> after = new ArrayList<>(out.subList(before, out.size()));
            List<String> noisy =
                    after.stream().filter(l -> WARN_OR_ERROR.matcher(l).find()).collect(Collectors.toList());
            List<ProcessHandle> left =
                    children.stream().filter(ProcessHandle::isAlive).toList();
            System.out.printf(
                    "Sluice stopped %d ms after SIGINT to its group (exit %d); output since the signal:%n%s%n",
                    stopMs, sluice.exitValue(), String.join("\n", after));

            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(stopMs).as("ms from SIGINT to exit").isLessThanOrEqualTo(STOP_BUDGET_MS);
            soft.assertThat(sluice.exitValue())
                    .as("exit status after SIGINT (128 + 2)")
                    .isEqualTo(130);
            soft.assertThat(noisy).as("WARN/ERROR lines after the signal").isEmpty();
            soft.assertThat(after)
                    .as("the final commit")
                    .anyMatch(l -> FINAL_COMMIT.matcher(l).find());
            soft.assertThat(after).as("the stop completes").anyMatch(l -> l.contains("Sluice stopped"));
            soft.assertThat(left)
                    .as("broker JVMs still alive after Sluice exited")
                    .isEmpty();
            soft.assertAll();
        } finally {
            sluice.descendants().forEach(ProcessHandle::destroyForcibly);
            children.forEach(ProcessHandle::destroyForcibly);
            sluice.destroyForcibly();
        }
    }

    /** Field 5 of {@code /proc/<pid>/stat}; the command name (field 2) may hold spaces, so parse after its ')'. */
    private static long processGroup(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[2]);
    }

    /** Bit 2 of the {@code SigIgn} mask in {@code /proc/<pid>/status}. */
    private static boolean sigintIgnored(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(
                                        line.substring("SigIgn:".length()).trim(), 16)
                                & (1L << 1))
                        != 0;
            }
        }
        return false;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** GNU coreutils' {@code env --default-signal} (8.31+). */
    private static boolean envResetsSignals() {
        try {
            Process p = new ProcessBuilder("env", "--default-signal=INT", "true")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long[] lastStatus(List<String> lines) {
        long[] last = null;
        for (String l : lines) {
            Matcher m = STATUS.matcher(l);
            if (m.find()) {
                last = new long[] {
                    Long.parseLong(m.group(1)),
                    Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4))
                };
            }
        }
        return last;
    }
}
