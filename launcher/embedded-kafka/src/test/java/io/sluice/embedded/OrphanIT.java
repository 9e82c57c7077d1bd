package io.sluice.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker must not outlive a parent JVM killed with SIGKILL (no shutdown hook runs then), although it
 * runs in a session of its own (out of reach of the parent's terminal's Ctrl-C).
 */
class OrphanIT {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void brokerExitsWhenItsParentIsKilled(@TempDir Path tmp) throws Exception {
        String classpath = location(EmbeddedKafkaCluster.class) + File.pathSeparator + location(OrphanParentMain.class);
        Process parent = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        classpath,
                        OrphanParentMain.class.getName(),
                        tmp.resolve("cluster").toString()))
                .redirectErrorStream(true)
                .start();
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(10_000);
        Thread reader = new Thread(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.offer(line);
                }
            } catch (Exception ignored) {
                // parent gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        Optional<ProcessHandle> broker = Optional.empty();
        try {
            long pid = awaitBrokerPid(lines, parent, Duration.ofSeconds(60));
            broker = ProcessHandle.of(pid);
            assertThat(broker).isPresent();
            assertThat(broker.get().isAlive()).isTrue();
            if (ChildJvm.findSetsid().isPresent()) {
                // detached from the parent's terminal (ChildJvm.detached), yet still watched through its stdin
                assertThat(broker.get().info().command())
                        .as("setsid exec'd the JVM: same pid")
                        .hasValueSatisfying(c -> assertThat(c).endsWith("java"));
                assertThat(TestSupport.session(pid))
                        .as("the broker's session")
                        .isNotEqualTo(TestSupport.session(parent.pid()))
                        .isEqualTo(pid);
            }

            parent.destroyForcibly();
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long t0 = System.nanoTime();
            ProcessHandle handle = broker.get();
            TestSupport.await("orphaned broker " + pid + " to exit", Duration.ofSeconds(30), () -> !handle.isAlive());
            System.out.printf(
                    "orphaned broker exited %d ms after its parent was killed%n", (System.nanoTime() - t0) / 1_000_000);
        } finally {
            parent.destroyForcibly();
            broker.ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static long awaitBrokerPid(BlockingQueue<String> lines, Process parent, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.append(line).append('\n');
                if (line.startsWith("BROKER_PID=")) {
                    return Long.parseLong(line.substring("BROKER_PID=".length()).trim());
                }
            } else if (!parent.isAlive() && lines.isEmpty()) {
                break;
            }
        }
        throw new AssertionError("parent did not report the broker pid; output:\n" + seen);
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }
}
