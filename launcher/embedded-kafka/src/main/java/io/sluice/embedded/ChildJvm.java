package io.sluice.embedded;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Command line and launch of a child JVM that runs a main class through {@link ParentWatchdogMain}.
 * The child's stdin is a pipe the parent keeps open and never writes: it closes when the parent dies.
 */
final class ChildJvm {

    private static final Optional<Path> SETSID = findSetsid();

    private ChildJvm() {}

    /** @return {@code java.home/bin/java} of this JVM, or the configured executable */
    static Path javaExecutable(EmbeddedKafkaOptions options) {
        return options.javaExecutable()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java"));
    }

    /** @return the full command line */
    static List<String> command(
            Path java,
            List<String> jvmOptions,
            String classpath,
            Path log4jConfig,
            String mainClass,
            List<String> args) {
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

    /**
     * The command of a child that must outlive a Ctrl-C in the parent's terminal: a terminal sends
     * SIGINT (and SIGHUP when it closes) to its whole foreground process group, which would stop the
     * broker at the same moment as the parent, before the parent's last commit. With {@code setsid}
     * (util-linux) on the PATH the child runs in a session of its own, out of reach of the terminal;
     * {@code setsid} execs (it only forks when called by a process group leader, which a freshly
     * spawned child never is), so the pid stays the JVM's and {@link Process} handles keep working.
     * Without it the child's {@link ParentWatchdogMain} ignores SIGINT and SIGHUP instead. Either way
     * the parent stops the child itself (SIGTERM), and the stdin-pipe watchdog still ends it if the
     * parent dies.
     */
    static List<String> detached(List<String> command) {
        return detached(command, SETSID);
    }

    /** {@link #detached(List)} with the {@code setsid} executable given, or absent. */
    static List<String> detached(List<String> command, Optional<Path> setsid) {
        List<String> cmd = new ArrayList<>(command.size() + 1);
        if (setsid.isPresent()) {
            cmd.add(setsid.get().toString());
            cmd.addAll(command);
        } else {
            cmd.addAll(command);
            cmd.add(1, "-D" + ParentWatchdogMain.IGNORE_TERMINAL_SIGNALS_PROPERTY + "=true");
        }
        return cmd;
    }

    /** @return an executable {@code setsid} on the PATH (never on Windows) */
    static Optional<Path> findSetsid() {
        String path = System.getenv("PATH");
        if (isWindows() || path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "setsid");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Starts the child with stderr merged into stdout. The caller must keep the stdin pipe open. */
    static Process launchMerged(List<String> command, Path workDir) {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
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
        OutputPump outPump = OutputPump.start(process.getInputStream(), out, line -> {}, "sluice-tool-stdout");
        OutputPump errPump = OutputPump.start(process.getErrorStream(), err, line -> {}, "sluice-tool-stderr");
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
        return new ProcessResult(
                exit, bufferText(out), bufferText(err), timedOut, Duration.ofNanos(System.nanoTime() - startNanos));
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
