package io.sluice.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One KRaft node running {@code kafka.Kafka} in a child JVM: launch, readiness, stop. Thread-safe;
 * lifecycle methods are serialised per node.
 */
final class BrokerNode {

    /** Log line printed by {@code KafkaRaftServer} once the node serves requests. */
    static final String READY_LINE = "Kafka Server started";

    private static final System.Logger LOG = System.getLogger(BrokerNode.class.getName());
    private static final int LOG_TAIL_LINES = 60;

    private final NodeSpec spec;
    private final Path java;
    private final List<String> jvmOptions;
    private final ChildClasspath classpath;

    private Process process;
    private OutputPump pump;
    private Optional<Path> cdsDump = Optional.empty();
    private volatile boolean readyLineSeen;
    private volatile Duration lastStartup = Duration.ZERO;

    BrokerNode(NodeSpec spec, Path java, List<String> jvmOptions, ChildClasspath classpath) {
        this.spec = spec;
        this.java = java;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.classpath = classpath;
    }

    NodeSpec spec() {
        return spec;
    }

    /** Starts the child JVM without waiting; its output is appended to the node's log file. */
    synchronized void launch() {
        if (isRunning()) {
            throw new IllegalStateException("node " + spec.nodeId() + " is already running");
        }
        readyLineSeen = false;
        ChildClasspath.Launch cds = classpath.brokerLaunch();
        List<String> options = new ArrayList<>(cds.jvmOptions());
        options.addAll(jvmOptions);
        List<String> command = ChildJvm.command(
                java,
                options,
                classpath.classpath(),
                spec.log4jConfig(),
                "kafka.Kafka",
                List.of(spec.serverProperties().toAbsolutePath().toString()));
        OutputStream log = openLog();
        try {
            process = ChildJvm.launchMerged(ChildJvm.detached(command), spec.dir());
        } catch (RuntimeException e) {
            classpath.publish(cds.dump(), false);
            closeQuietly(log);
            throw e;
        }
        cdsDump = cds.dump();
        pump = OutputPump.start(process.getInputStream(), log, this::onLine, "sluice-kafka-node-" + spec.nodeId());
        LOG.log(System.Logger.Level.DEBUG, "node {0} launched, pid {1}", spec.nodeId(), process.pid());
    }

    private void onLine(String line) {
        if (!readyLineSeen && line.contains(READY_LINE)) {
            readyLineSeen = true;
        }
    }

    /**
     * Polls until the ready line was logged and the PLAINTEXT port accepts connections.
     *
     * @param launchedAt when {@link #launch()} was called, to record the startup duration
     * @throws EmbeddedKafkaException with the log tail if the child exits or the deadline passes
     */
    void awaitReady(Instant launchedAt, Instant deadline) {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p == null) {
            throw new IllegalStateException("node " + spec.nodeId() + " was never launched");
        }
        while (true) {
            if (readyLineSeen && PortAllocator.canConnect(spec.plaintextPort())) {
                lastStartup = Duration.between(launchedAt, Instant.now());
                LOG.log(
                        System.Logger.Level.INFO,
                        "Kafka node {0} ready on {1} in {2,number,#} ms",
                        spec.nodeId(),
                        spec.hostPort(BrokerProperties.PLAINTEXT),
                        lastStartup.toMillis());
                return;
            }
            if (!p.isAlive()) {
                pump.join(2_000);
                throw new EmbeddedKafkaException("Kafka node " + spec.nodeId() + " exited with code " + p.exitValue()
                        + " before it was ready. Log " + spec.logFile() + " ends with:\n" + logTail());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new EmbeddedKafkaException("Kafka node " + spec.nodeId() + " not ready within the startup "
                        + "timeout. Log " + spec.logFile() + " ends with:\n" + logTail());
            }
            sleep(50);
        }
    }

    /**
     * Stops the child. {@code kill}: SIGKILL at once. Otherwise SIGTERM, wait up to
     * {@code gracefulTimeout}, then SIGKILL. Waits (bounded) until the process is gone.
     */
    synchronized void stop(boolean kill, Duration gracefulTimeout) {
        Process p = process;
        if (p == null) {
            return;
        }
        try {
            if (p.isAlive()) {
                if (kill) {
                    p.destroyForcibly();
                } else {
                    // SIGTERM through the handle: Process.destroy() would also close the pipes, so the
                    // watchdog would race the signal and the node's shutdown log would be cut off
                    p.toHandle().destroy();
                    if (!p.waitFor(gracefulTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        LOG.log(
                                System.Logger.Level.WARNING,
                                "Kafka node {0} did not stop within {1,number,#} ms; killing it",
                                spec.nodeId(),
                                gracefulTimeout.toMillis());
                        p.destroyForcibly();
                    }
                }
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    throw new EmbeddedKafkaException(
                            "Kafka node " + spec.nodeId() + " (pid " + p.pid() + ") survived SIGKILL for 15 s");
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            ChildJvm.closeQuietly(p);
            if (pump != null) {
                pump.join(2_000);
            }
            if (!p.isAlive()) {
                // A SIGKILLed child (exit 137) may have been killed mid-dump: never publish its archive.
                classpath.publish(cdsDump, p.exitValue() != 137);
                cdsDump = Optional.empty();
            }
        }
    }

    /** @return whether the child JVM is alive (it may not be ready yet) */
    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** @return the child's process handle, if it was ever launched */
    synchronized Optional<ProcessHandle> processHandle() {
        return process == null ? Optional.empty() : Optional.of(process.toHandle());
    }

    /** @return launch-to-ready time of the last successful start, zero before */
    Duration lastStartup() {
        return lastStartup;
    }

    String logTail() {
        return FileUtil.tail(spec.logFile(), LOG_TAIL_LINES);
    }

    private OutputStream openLog() {
        try {
            FileUtil.mkdirs(spec.logFile().getParent());
            OutputStream out =
                    Files.newOutputStream(spec.logFile(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            out.write(("==== sluice: starting Kafka node " + spec.nodeId() + " at " + Instant.now() + " ====\n")
                    .getBytes(StandardCharsets.UTF_8));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + spec.logFile(), e);
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("interrupted while waiting for Kafka", e);
        }
    }
}
