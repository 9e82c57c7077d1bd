package io.sluice.embedded;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Polling helpers for tests: no fixed sleeps, every wait has a deadline. */
final class TestSupport {

    private TestSupport() {}

    /** Polls {@code condition} every 50 ms until it holds; fails with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }

    /**
     * @return a prefix that starts a command with SIGINT at its default disposition ({@code env
     *         --default-signal=INT}, GNU coreutils 8.31+), as a shell runs its foreground job; empty
     *         when unsupported. A process started by a background job of a non-interactive shell
     *         inherits SIGINT ignored, and a JVM keeps an ignored SIGINT ignored.
     */
    static List<String> defaultSigint() {
        try {
            Process p = new ProcessBuilder("env", "--default-signal=INT", "true")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0
                    ? List.of("env", "--default-signal=INT")
                    : List.of();
        } catch (java.io.IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** @return whether {@code /proc/<pid>/status} shows SIGINT ignored (false where there is no /proc) */
    static boolean sigintIgnored(long pid) {
        try {
            for (String line :
                    java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(
                                            line.substring("SigIgn:".length()).trim(), 16)
                                    & (1L << 1))
                            != 0;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // no /proc: cannot tell
        }
        return false;
    }

    /**
     * @return the session id of a process, field 6 of {@code /proc/<pid>/stat} (the command name in
     *         field 2 may hold spaces, so the fields are counted after its closing parenthesis)
     */
    static long session(long pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
    }

    /** @return descendants of this JVM that are still alive, as "pid command" strings */
    static List<String> liveDescendants() {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .collect(Collectors.toList());
    }
}
