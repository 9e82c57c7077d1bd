package io.sluice.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Command line and launch of a child JVM that runs a main class through {@link ParentWatchdogMain}.
 * The child's stdin is a pipe the parent keeps open and never writes: it closes when the parent dies.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /** @return {@code java.home/bin/java} of this JVM, or the configured executable */
    static Path javaExecutable(EmbeddedKafkaOptions options) {
        return options.javaExecutable()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java"));
    }

    /** @return the full command line */
    static List<String> command(Path java, List<String> jvmOptions, String classpath, Path log4jConfig,
                                String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Dlog4j2.configurationFile=" + log4jConfig.toAbsolutePath().toUri());
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(ParentWatchdogMain.class.getName());
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the child with stderr merged into stdout. The caller must keep the stdin pipe open. */
    static Process launchMerged(List<String> command, Path workDir) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
    }

    /**
     * Runs the child to completion, capturing stdout and stderr; kills it (SIGKILL) after
     * {@code timeout}.
     */
    static ProcessResult run(List<String> command, Path workDir, Duration timeout) {
        long startNanos = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OutputPump outPump = OutputPump.start(process.getInputStream(), out, line -> { }, "sluice-tool-stdout");
        OutputPump errPump = OutputPump.start(process.getErrorStream(), err, line -> { }, "sluice-tool-stderr");
        boolean timedOut = false;
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("interrupted while running " + command, e);
        } finally {
            closeQuietly(process);
        }
        outPump.join(5_000);
        errPump.join(5_000);
        int exit = process.isAlive() ? -1 : (timedOut ? -1 : process.exitValue());
        return new ProcessResult(exit, bufferText(out), bufferText(err), timedOut,
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** Closes the stdin pipe of a child that has exited (or is being abandoned). */
    static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static String bufferText(ByteArrayOutputStream buffer) {
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase().startsWith("windows");
    }
}
