package io.sluice.launcher;

import io.sluice.testsupport.BlockedThreadOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Runs the fat jar as a user would (a child JVM), collecting its output lines. {@link #close()} fails the test
 * when that output holds a Vert.x blocked-thread warning ({@link BlockedThreadOutput#assertNone}).
 */
final class JarProcess implements AutoCloseable {
    final Process process;
    final List<String> stdout = new CopyOnWriteArrayList<>();
    final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<Thread> pumps;

    private JarProcess(Process p) {
        this.process = p;
        this.pumps = List.of(
                OutputPump.start(p.getInputStream(), stdout, "JarProcess"),
                OutputPump.start(p.getErrorStream(), stderr, "JarProcess"));
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("sluice.jar", "target/sluice.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("fat jar not built: " + jar.toAbsolutePath());
        }
        return jar;
    }

    static JarProcess start(Path workDir, List<String> jvmArgs, String... args) throws IOException {
        return start(workDir, jvmArgs, jar(), args);
    }

    /** Runs {@code jar} (e.g. the EC2 jar) instead of the local-mode fat jar. */
    static JarProcess start(Path workDir, List<String> jvmArgs, Path jar, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SLUICE_"));
        return new JarProcess(pb.start());
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            for (Thread t : pumps) {
                t.join(5_000); // the rest of its output, up to the end of the streams
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> output = new ArrayList<>(stdout);
        output.addAll(stderr);
        BlockedThreadOutput.assertNone("the fat jar's JVM (pid " + process.pid() + ")", output);
    }
}
