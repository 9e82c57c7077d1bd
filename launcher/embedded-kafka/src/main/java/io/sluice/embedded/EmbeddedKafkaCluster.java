package io.sluice.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Apache Kafka 4.1.1 cluster in KRaft combined mode (every node is broker and controller),
 * one child JVM per node, on loopback ports.
 *
 * <pre>{@code
 * try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(EmbeddedKafkaOptions.builder().nodes(3).build())) {
 *     String bootstrap = kafka.bootstrapServers();
 *     ...
 * }
 * }</pre>
 *
 * <p>This class references no Kafka class: the broker jars are only on the children's class path,
 * so the caller may have any kafka-clients version. Children exit when this JVM exits (shutdown
 * hook) or dies (the {@link ParentWatchdogMain} sees its stdin pipe close). Thread-safe.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EmbeddedKafkaCluster.class.getName());

    private final EmbeddedKafkaOptions options;
    private final Path baseDir;
    private final String clusterId;
    private final Path javaExecutable;
    private final List<Path> brokerJars;
    private ChildClasspath classpath;
    private final Map<Integer, BrokerNode> nodes = new ConcurrentSkipListMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaCluster(EmbeddedKafkaOptions options, Path baseDir, List<Path> brokerJars) {
        this.options = options;
        this.baseDir = baseDir;
        this.clusterId = ClusterIds.random();
        this.javaExecutable = ChildJvm.javaExecutable(options);
        this.brokerJars = brokerJars;
    }

    /**
     * Starts a single-node cluster with the {@linkplain EmbeddedKafkaOptions#defaults() defaults}.
     *
     * @return the running cluster; close it
     */
    public static EmbeddedKafkaCluster start() {
        return start(EmbeddedKafkaOptions.defaults());
    }

    /**
     * Formats every node's storage, starts every node and blocks until all are ready (the node logged
     * {@code Kafka Server started} and its PLAINTEXT port accepts connections), within
     * {@link EmbeddedKafkaOptions#startupTimeout()}.
     *
     * @param options cluster settings
     * @return the running cluster; close it
     * @throws EmbeddedKafkaException if a node fails or times out; the message holds the tail of its
     *                                log. Everything started is stopped and the data dir deleted
     *                                (unless kept) before it is thrown.
     */
    public static EmbeddedKafkaCluster start(EmbeddedKafkaOptions options) {
        Objects.requireNonNull(options, "options");
        List<Path> jars = options.brokerClasspath()
                .map(j -> BrokerClasspath.validate(j, "options"))
                .orElseGet(BrokerClasspath::resolve);
        EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(options, prepareBaseDir(options), jars);
        if (options.closeOnJvmExit()) {
            ClusterRegistry.register(cluster);
        }
        try {
            cluster.startAll();
            return cluster;
        } catch (RuntimeException | Error e) {
            try {
                cluster.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static Path prepareBaseDir(EmbeddedKafkaOptions options) {
        try {
            if (options.baseDir().isEmpty()) {
                return Files.createTempDirectory("sluice-kafka-").toAbsolutePath();
            }
            Path dir = options.baseDir().get().toAbsolutePath();
            if (Files.isDirectory(dir)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new EmbeddedKafkaException("base directory " + dir + " is not empty; it would be "
                                + "deleted on close, so the helper only uses an absent or empty directory");
                    }
                }
            }
            return FileUtil.mkdirs(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the base directory", e);
        }
    }

    private void startAll() {
        Instant begin = Instant.now();
        Instant deadline = begin.plus(options.startupTimeout());
        classpath = ChildClasspath.create(brokerJars, options.classDataSharing(), baseDir);
        List<NodeSpec> specs = allocateNodes();
        for (NodeSpec spec : specs) {
            FileUtil.mkdirs(spec.dataDir());
            FileUtil.write(
                    spec.serverProperties(), BrokerProperties.render(BrokerProperties.forNode(spec, specs, options)));
            FileUtil.write(spec.log4jConfig(), BrokerProperties.log4jConfig(options.logLevel()));
            nodes.put(spec.nodeId(), new BrokerNode(spec, javaExecutable, options.jvmOptions(), classpath));
        }
        Parallel.runAll(
                "sluice-kafka-format",
                specs.stream()
                        .<Runnable>map(spec -> () -> KafkaTools.formatStorage(
                                javaExecutable, baseDir, classpath, spec, clusterId, options.startupTimeout()))
                        .collect(Collectors.toList()),
                options.startupTimeout().plusSeconds(15));
        Instant launched = Instant.now();
        if (closed.get()) {
            throw new EmbeddedKafkaException("cluster closed while starting (JVM shutting down?)");
        }
        nodes.values().forEach(BrokerNode::launch);
        for (BrokerNode node : nodes.values()) {
            node.awaitReady(launched, deadline);
        }
        LOG.log(
                System.Logger.Level.INFO,
                "Kafka cluster {0} ({1} node(s), {2}) ready in {3,number,#} ms (format {4,number,#} ms)",
                clusterId,
                nodes.size(),
                bootstrapServers(),
                Duration.between(begin, Instant.now()).toMillis(),
                Duration.between(begin, launched).toMillis());
    }

    private List<NodeSpec> allocateNodes() {
        List<ListenerSpec> extra = options.additionalListeners();
        List<Integer> ports = PortAllocator.freePorts(options.nodes() * (2 + extra.size()));
        List<NodeSpec> specs = new ArrayList<>();
        int next = 0;
        for (int i = 1; i <= options.nodes(); i++) {
            int id = i;
            Path dir = baseDir.resolve("node-" + id);
            Path logFile = options.logDirectory()
                    .map(d -> d.resolve("node-" + id + ".log"))
                    .orElse(dir.resolve("broker.log"));
            int plaintext = ports.get(next++);
            int controller = ports.get(next++);
            Map<String, Integer> additional = new LinkedHashMap<>();
            for (ListenerSpec listener : extra) {
                additional.put(listener.name(), ports.get(next++));
            }
            specs.add(new NodeSpec(id, dir, logFile, plaintext, controller, additional));
        }
        return specs;
    }

    /** @return the KRaft cluster id (22-character Kafka UUID) */
    public String clusterId() {
        return clusterId;
    }

    /** @return comma-separated {@code 127.0.0.1:port} of the PLAINTEXT listener of every node, running or not */
    public String bootstrapServers() {
        return bootstrapServers(BrokerProperties.PLAINTEXT);
    }

    /**
     * @param listenerName {@code PLAINTEXT} or the name of an {@linkplain ListenerSpec additional listener}
     * @return comma-separated {@code 127.0.0.1:port} of that listener on every node
     */
    public String bootstrapServers(String listenerName) {
        return nodes.keySet().stream().map(id -> listener(id, listenerName)).collect(Collectors.joining(","));
    }

    /** @return node ids, ascending (1..n) */
    public List<Integer> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    /**
     * @param nodeId node id
     * @return {@code 127.0.0.1:port} of the node's PLAINTEXT listener
     */
    public String listener(int nodeId) {
        return listener(nodeId, BrokerProperties.PLAINTEXT);
    }

    /**
     * @param nodeId       node id
     * @param listenerName {@code PLAINTEXT}, {@code CONTROLLER} or an additional listener's name
     * @return {@code 127.0.0.1:port} of that listener on the node
     * @throws IllegalArgumentException for an unknown node or listener
     */
    public String listener(int nodeId, String listenerName) {
        String hostPort = node(nodeId).spec().hostPort(listenerName.toUpperCase(Locale.ROOT));
        if (hostPort == null) {
            throw new IllegalArgumentException("node " + nodeId + " has no listener " + listenerName);
        }
        return hostPort;
    }

    /**
     * Stops one node and waits (bounded) until its process is gone.
     *
     * @param nodeId node id
     * @param kill   {@code true}: SIGKILL ({@link Process#destroyForcibly()}); {@code false}: SIGTERM,
     *             then SIGKILL after {@link EmbeddedKafkaOptions#stopTimeout()}
     */
    public void stopNode(int nodeId, boolean kill) {
        node(nodeId).stop(kill, options.stopTimeout());
    }

    /**
     * Starts a node again (stopping it gracefully first if it runs) with the same ports, data and
     * cluster id, and waits until it is ready, within {@link EmbeddedKafkaOptions#startupTimeout()}.
     *
     * @param nodeId node id
     * @throws EmbeddedKafkaException with the log tail if it does not become ready; the node is then
     *                                killed
     */
    public void restartNode(int nodeId) {
        BrokerNode node = node(nodeId);
        if (closed.get()) {
            throw new IllegalStateException("cluster is closed");
        }
        node.stop(false, options.stopTimeout());
        Instant launched = Instant.now();
        node.launch();
        try {
            node.awaitReady(launched, launched.plus(options.startupTimeout()));
        } catch (RuntimeException e) {
            node.stop(true, options.stopTimeout());
            throw e;
        }
    }

    /**
     * @param nodeId node id
     * @return whether the node's JVM is alive
     */
    public boolean isRunning(int nodeId) {
        return node(nodeId).isRunning();
    }

    /**
     * @param nodeId node id
     * @return the node's (last) child process, e.g. to check it is gone
     */
    public Optional<ProcessHandle> process(int nodeId) {
        return node(nodeId).processHandle();
    }

    /**
     * @param nodeId node id
     * @return launch-to-ready time of the node's last start
     */
    public Duration startupDuration(int nodeId) {
        return node(nodeId).lastStartup();
    }

    /** @return the directory holding every node's config, data and (by default) logs */
    public Path baseDir() {
        return baseDir;
    }

    /**
     * @param nodeId node id
     * @return the file receiving the node's stdout and stderr
     */
    public Path logFile(int nodeId) {
        return node(nodeId).spec().logFile();
    }

    /**
     * Runs a Kafka tool in a child JVM on the broker class path, like
     * {@link KafkaTools#runTool(String, List, Duration)}, reusing this cluster's directory and java.
     *
     * @param mainClass fully qualified main class, e.g. {@code org.apache.kafka.tools.ProducerPerformance}
     * @param args      its arguments
     * @param timeout   the child is killed after this long
     * @return exit code and captured output
     */
    public ProcessResult runTool(String mainClass, List<String> args, Duration timeout) {
        return KafkaTools.run(
                javaExecutable, KafkaTools.DEFAULT_JVM_OPTIONS, baseDir, classpath, mainClass, args, timeout);
    }

    /**
     * Stops every node in parallel (SIGTERM, then SIGKILL after
     * {@link EmbeddedKafkaOptions#stopTimeout()}) and deletes the base directory unless
     * {@link EmbeddedKafkaOptions#keepDataDir()}. Idempotent; later calls return at once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Instant begin = Instant.now();
        try {
            List<Runnable> stops = nodes.values().stream()
                    .<Runnable>map(n -> () -> n.stop(false, options.stopTimeout()))
                    .collect(Collectors.toList());
            Parallel.runAll("sluice-kafka-stop", stops, options.stopTimeout().plusSeconds(20));
        } finally {
            ClusterRegistry.unregister(this);
            if (!options.keepDataDir()) {
                FileUtil.deleteRecursively(baseDir);
            }
            LOG.log(
                    System.Logger.Level.INFO,
                    "Kafka cluster {0} closed in {1,number,#} ms",
                    clusterId,
                    Duration.between(begin, Instant.now()).toMillis());
        }
    }

    private BrokerNode node(int nodeId) {
        BrokerNode node = nodes.get(nodeId);
        if (node == null) {
            throw new IllegalArgumentException("no node " + nodeId + "; nodes are " + nodes.keySet());
        }
        return node;
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaCluster[" + clusterId + ", " + bootstrapServers() + ", " + baseDir + "]";
    }
}
