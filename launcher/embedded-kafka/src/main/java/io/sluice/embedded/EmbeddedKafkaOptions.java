package io.sluice.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable settings of an {@link EmbeddedKafkaCluster}. Create with {@link #builder()}; the defaults
 * give a single-node KRaft cluster in a temporary directory that is deleted on close.
 */
public final class EmbeddedKafkaOptions {

    private final int nodes;
    private final Path baseDir;
    private final boolean keepDataDir;
    private final Map<String, String> brokerProperties;
    private final Map<Integer, Map<String, String>> nodeProperties;
    private final List<ListenerSpec> additionalListeners;
    private final Path logDirectory;
    private final Duration startupTimeout;
    private final Duration stopTimeout;
    private final String heapMin;
    private final String heapMax;
    private final List<String> extraJvmOptions;
    private final Path javaExecutable;
    private final List<Path> brokerClasspath;
    private final String logLevel;
    private final boolean classDataSharing;
    private final boolean closeOnJvmExit;

    private EmbeddedKafkaOptions(Builder b) {
        this.nodes = b.nodes;
        this.baseDir = b.baseDir;
        this.keepDataDir = b.keepDataDir;
        this.brokerProperties = Map.copyOf(b.brokerProperties);
        Map<Integer, Map<String, String>> perNode = new LinkedHashMap<>();
        b.nodeProperties.forEach((id, props) -> perNode.put(id, Map.copyOf(props)));
        this.nodeProperties = Map.copyOf(perNode);
        this.additionalListeners = List.copyOf(b.additionalListeners);
        this.logDirectory = b.logDirectory;
        this.startupTimeout = b.startupTimeout;
        this.stopTimeout = b.stopTimeout;
        this.heapMin = b.heapMin;
        this.heapMax = b.heapMax;
        this.extraJvmOptions = List.copyOf(b.extraJvmOptions);
        this.javaExecutable = b.javaExecutable;
        this.brokerClasspath = b.brokerClasspath == null ? null : List.copyOf(b.brokerClasspath);
        this.logLevel = b.logLevel;
        this.classDataSharing = b.classDataSharing;
        this.closeOnJvmExit = b.closeOnJvmExit;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the default options: one node, temporary directory, 60 s startup timeout */
    public static EmbeddedKafkaOptions defaults() {
        return builder().build();
    }

    /** @return number of KRaft nodes, each combined broker and controller */
    public int nodes() {
        return nodes;
    }

    /** @return the base directory, empty for a fresh temporary directory */
    public Optional<Path> baseDir() {
        return Optional.ofNullable(baseDir);
    }

    /** @return whether the base directory survives {@link EmbeddedKafkaCluster#close()} */
    public boolean keepDataDir() {
        return keepDataDir;
    }

    /** @return broker properties applied to every node, overriding the helper's defaults */
    public Map<String, String> brokerProperties() {
        return brokerProperties;
    }

    /** @return broker properties for one node, applied after {@link #brokerProperties()} */
    public Map<String, String> nodeProperties(int nodeId) {
        return nodeProperties.getOrDefault(nodeId, Map.of());
    }

    /** @return listeners added on every node next to {@code PLAINTEXT} and {@code CONTROLLER} */
    public List<ListenerSpec> additionalListeners() {
        return additionalListeners;
    }

    /** @return directory for the per-node logs ({@code node-<id>.log}); empty means each node's dir */
    public Optional<Path> logDirectory() {
        return Optional.ofNullable(logDirectory);
    }

    /** @return how long {@link EmbeddedKafkaCluster#start} waits for all nodes to be ready */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /** @return how long a graceful stop (SIGTERM) may take before the node is killed */
    public Duration stopTimeout() {
        return stopTimeout;
    }

    /** @return JVM options of every child: heap, G1 and the extra options */
    public List<String> jvmOptions() {
        List<String> all = new ArrayList<>();
        all.add("-Xms" + heapMin);
        all.add("-Xmx" + heapMax);
        all.add("-XX:+UseG1GC");
        all.addAll(extraJvmOptions);
        return all;
    }

    /** @return the {@code java} executable for the children; empty means {@code java.home/bin/java} */
    public Optional<Path> javaExecutable() {
        return Optional.ofNullable(javaExecutable);
    }

    /** @return explicit broker jars; empty means {@link BrokerClasspath#resolve()} */
    public Optional<List<Path>> brokerClasspath() {
        return Optional.ofNullable(brokerClasspath);
    }

    /** @return root log level of the brokers (Log4j 2 level name) */
    public String logLevel() {
        return logLevel;
    }

    /** @return whether children share a cached AppCDS archive of the broker classes (faster start) */
    public boolean classDataSharing() {
        return classDataSharing;
    }

    /**
     * Whether a JVM shutdown hook closes the cluster (default true). An owner that closes it itself in
     * its own shutdown hook, after its clients are done, turns this off so the broker is not stopped
     * under it; the child watchdog still stops brokers whose parent JVM is gone.
     */
    public boolean closeOnJvmExit() {
        return closeOnJvmExit;
    }

    /** Builder of {@link EmbeddedKafkaOptions}; not thread-safe. */
    public static final class Builder {
        private int nodes = 1;
        private Path baseDir;
        private boolean keepDataDir;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private final Map<Integer, Map<String, String>> nodeProperties = new LinkedHashMap<>();
        private final List<ListenerSpec> additionalListeners = new ArrayList<>();
        private Path logDirectory;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private Duration stopTimeout = Duration.ofSeconds(15);
        private String heapMin = "256m";
        private String heapMax = "512m";
        private final List<String> extraJvmOptions = new ArrayList<>();
        private Path javaExecutable;
        private List<Path> brokerClasspath;
        private String logLevel = "INFO";
        private boolean classDataSharing = true;
        private boolean closeOnJvmExit = true;

        private Builder() {}

        /** @param nodes number of nodes (1 to 9); node ids are 1..nodes */
        public Builder nodes(int nodes) {
            if (nodes < 1 || nodes > 9) {
                throw new IllegalArgumentException("nodes must be 1..9: " + nodes);
            }
            this.nodes = nodes;
            return this;
        }

        /**
         * @param baseDir directory holding every node's data, config and (by default) log; it must be
         *                absent or empty, since it is deleted on close unless {@link #keepDataDir}
         */
        public Builder baseDir(Path baseDir) {
            this.baseDir = Objects.requireNonNull(baseDir, "baseDir");
            return this;
        }

        /** @param keep keep the base directory on close (default {@code false}) */
        public Builder keepDataDir(boolean keep) {
            this.keepDataDir = keep;
            return this;
        }

        /** Sets one broker property on every node; it overrides the helper's default. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /** Sets broker properties on every node; they override the helper's defaults. */
        public Builder brokerProperties(Map<String, String> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        /** Sets broker properties on one node (e.g. its own key store); applied last. */
        public Builder nodeProperties(int nodeId, Map<String, String> properties) {
            nodeProperties.computeIfAbsent(nodeId, id -> new LinkedHashMap<>()).putAll(properties);
            return this;
        }

        /** Adds a listener on every node, on a port the helper allocates; see {@link ListenerSpec}. */
        public Builder additionalListener(ListenerSpec listener) {
            if (additionalListeners.stream().anyMatch(l -> l.name().equals(listener.name()))) {
                throw new IllegalArgumentException("duplicate listener " + listener.name());
            }
            additionalListeners.add(listener);
            return this;
        }

        /** @param directory where node logs go as {@code node-<id>.log}; survives close if outside the base dir */
        public Builder logDirectory(Path directory) {
            this.logDirectory = Objects.requireNonNull(directory);
            return this;
        }

        /** @param timeout bound on {@link EmbeddedKafkaCluster#start} and {@link EmbeddedKafkaCluster#restartNode} */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = positive(timeout);
            return this;
        }

        /** @param timeout graceful-stop bound before SIGKILL (default 15 s) */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = positive(timeout);
            return this;
        }

        /**
         * @param min {@code -Xms} of each broker JVM (default {@code 256m})
         * @param max {@code -Xmx} of each broker JVM (default {@code 512m})
         */
        public Builder heap(String min, String max) {
            this.heapMin = Objects.requireNonNull(min);
            this.heapMax = Objects.requireNonNull(max);
            return this;
        }

        /** Adds JVM options for every child JVM (after heap and GC options). */
        public Builder jvmOptions(List<String> options) {
            extraJvmOptions.addAll(options);
            return this;
        }

        /** @param java the {@code java} executable for the children */
        public Builder javaExecutable(Path java) {
            this.javaExecutable = Objects.requireNonNull(java);
            return this;
        }

        /** @param jars the broker class path, replacing the generated resource and overrides */
        public Builder brokerClasspath(List<Path> jars) {
            this.brokerClasspath = List.copyOf(jars);
            return this;
        }

        /** @param level root Log4j 2 level of the brokers (default {@code INFO}; the readiness logger stays at INFO) */
        public Builder logLevel(String level) {
            this.logLevel = Objects.requireNonNull(level);
            return this;
        }

        /** See {@link EmbeddedKafkaOptions#closeOnJvmExit()}. */
        public Builder closeOnJvmExit(boolean close) {
            this.closeOnJvmExit = close;
            return this;
        }

        /**
         * @param enabled share a cached dynamic AppCDS archive of the broker classes between child JVMs
         *                (default {@code true}; roughly halves node start time after the first run)
         */
        public Builder classDataSharing(boolean enabled) {
            this.classDataSharing = enabled;
            return this;
        }

        /** @return the options */
        public EmbeddedKafkaOptions build() {
            return new EmbeddedKafkaOptions(this);
        }

        private static Duration positive(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("duration must be positive: " + d);
            }
            return d;
        }
    }
}
