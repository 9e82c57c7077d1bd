package io.sluice.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs Kafka 4.1.1 command-line tools ({@code org.apache.kafka.tools.ProducerPerformance},
 * {@code ConsumerPerformance}, {@code kafka.tools.StorageTool}, ...) in a child JVM on the broker
 * class path, guarded by {@link ParentWatchdogMain}. Tool logging goes to stderr at WARN, so stdout
 * carries only the tool's own output.
 */
public final class KafkaTools {

    /** JVM options used when the caller gives none. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseG1GC");

    private static final List<String> SHORT_LIVED_JVM_OPTIONS =
            List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    private KafkaTools() {}

    /**
     * Runs {@code mainClass} with {@code args} in a child JVM with {@link #DEFAULT_JVM_OPTIONS}.
     *
     * @param mainClass fully qualified main class on the broker class path
     * @param args      its arguments
     * @param timeout   the child is killed (SIGKILL) after this long; the result then says
     *                  {@link ProcessResult#timedOut()}
     * @return exit code and captured stdout/stderr; never throws for a non-zero exit
     * @throws EmbeddedKafkaException if the broker class path cannot be resolved
     */
    public static ProcessResult runTool(String mainClass, List<String> args, Duration timeout) {
        return runTool(mainClass, args, timeout, DEFAULT_JVM_OPTIONS);
    }

    /**
     * As {@link #runTool(String, List, Duration)} with explicit JVM options.
     *
     * @param jvmOptions options placed before the class path, e.g. {@code -Xmx1g}
     */
    public static ProcessResult runTool(
            String mainClass, List<String> args, Duration timeout, List<String> jvmOptions) {
        Path workDir;
        try {
            workDir = Files.createTempDirectory("sluice-kafka-tool-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
        try {
            Path java = ChildJvm.javaExecutable(EmbeddedKafkaOptions.defaults());
            ChildClasspath classpath = ChildClasspath.create(BrokerClasspath.resolve(), true, workDir);
            return run(java, jvmOptions, workDir, classpath, mainClass, args, timeout);
        } finally {
            FileUtil.deleteRecursively(workDir);
        }
    }

    /** Runs a tool with {@code workDir} as working directory; a {@code tool-log4j2.properties} is written there. */
    static ProcessResult run(
            Path java,
            List<String> jvmOptions,
            Path workDir,
            ChildClasspath classpath,
            String mainClass,
            List<String> args,
            Duration timeout) {
        Objects.requireNonNull(mainClass, "mainClass");
        Path log4j = workDir.resolve("tool-log4j2.properties");
        if (!Files.exists(log4j)) {
            FileUtil.write(log4j, toolLog4jConfig());
        }
        List<String> options = new ArrayList<>(classpath.sharingOptions());
        options.addAll(jvmOptions);
        return ChildJvm.run(
                ChildJvm.command(java, options, classpath.classpath(), log4j, mainClass, args), workDir, timeout);
    }

    /**
     * Formats a node's storage: {@code kafka.tools.StorageTool format -t <clusterId> -c <props>}.
     * With a static {@code controller.quorum.voters} list no {@code --standalone} or
     * {@code --initial-controllers} flag is needed, for any node count.
     *
     * @throws EmbeddedKafkaException with the tool's output if formatting fails
     */
    static void formatStorage(
            Path java, Path baseDir, ChildClasspath classpath, NodeSpec node, String clusterId, Duration timeout) {
        ProcessResult result = run(
                java,
                SHORT_LIVED_JVM_OPTIONS,
                baseDir,
                classpath,
                "kafka.tools.StorageTool",
                List.of(
                        "format",
                        "-t",
                        clusterId,
                        "-c",
                        node.serverProperties().toAbsolutePath().toString()),
                timeout);
        if (!result.succeeded()) {
            throw new EmbeddedKafkaException("formatting the storage of Kafka node " + node.nodeId() + " failed: "
                    + (result.timedOut() ? "timed out" : "exit code " + result.exitCode())
                    + "\n--- stdout ---\n" + FileUtil.tail(result.stdout(), 40)
                    + "\n--- stderr ---\n" + FileUtil.tail(result.stderr(), 40));
        }
    }

    private static String toolLog4jConfig() {
        return String.join(
                "\n",
                "status = warn",
                "appender.console.type = Console",
                "appender.console.name = STDERR",
                "appender.console.target = SYSTEM_ERR",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = WARN",
                "rootLogger.appenderRef.stderr.ref = STDERR",
                "");
    }
}
