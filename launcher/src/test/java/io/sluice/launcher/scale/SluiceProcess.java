package io.sluice.launcher.scale;

import io.sluice.testsupport.BlockedThreadOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fat jar as a child JVM, as an operator starts another instance: {@code java -jar sluice.jar --config FILE}
 * with {@code SLUICE_*} environment overrides; output goes to {@code <workDir>/<name>.log}. {@link #close()} fails
 * the test when that log holds a Vert.x blocked-thread warning ({@link BlockedThreadOutput#assertNone}).
 */
final class SluiceProcess implements AutoCloseable {
    final Process process;
    final Path log;

    private SluiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static SluiceProcess start(Path workDir, String name, Path config, Map<String, String> env, List<String> jvmArgs)
            throws IOException {
        Path jar = Path.of(System.getProperty("sluice.jar", "target/sluice.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("fat jar not built: " + jar.toAbsolutePath());
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        cmd.add("--config");
        cmd.add(config.toAbsolutePath().toString());
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SLUICE_"));
        pb.environment().putAll(env);
        return new SluiceProcess(pb.start(), log);
    }

    /** The last lines of its output (for failure messages). */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> output;
        try {
            output = Files.readAllLines(log);
        } catch (IOException e) {
            output = List.of();
        }
        BlockedThreadOutput.assertNone("Sluice process " + log.getFileName(), output);
    }
}
