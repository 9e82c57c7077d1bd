package io.sluice.loadtest.run;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an end-to-end run sets up: brokers, the input topic, the function's behaviour, the Sluice processes
 * and their pipeline settings, the load and the script of faults. Built with {@link #builder}.
 */
public final class RunSpec {
    final String name;
    final int brokers;
    final short replication;
    final int partitions;
    final double rate;
    final int loadSeconds;
    final int processes;
    final boolean staticMembership;
    final String ordering;
    final String batchMode;
    /** Sluice's tracing on: spans to the runner's OTLP sink, input records with a {@code traceparent}. */
    final boolean tracing;

    final long lambdaLatencyMs;
    final double errorRate;
    final double throttleRate;
    final int poisonEvery;
    final int trucks;
    final Double hotKeyShare;
    final JsonObject pipelineOverrides;
    final List<Driver> drivers;
    final Duration drainTimeout;
    final List<String> jvmOptions;
    final boolean consumerPerfBaseline;
    final Map<String, String> inputProducerProps;
    /** The function's dedupe store; null: off (the sink then counts every redelivery). */
    final io.sluice.locallambda.LocalDedupe dedupe;

    private RunSpec(Builder b) {
        name = b.name;
        brokers = b.brokers;
        replication = b.replication;
        partitions = b.partitions;
        rate = b.rate;
        loadSeconds = b.loadSeconds;
        processes = b.processes;
        staticMembership = b.staticMembership;
        ordering = b.ordering;
        batchMode = b.batchMode;
        tracing = b.tracing;
        lambdaLatencyMs = b.lambdaLatencyMs;
        errorRate = b.errorRate;
        throttleRate = b.throttleRate;
        poisonEvery = b.poisonEvery;
        trucks = b.trucks;
        hotKeyShare = b.hotKeyShare;
        pipelineOverrides = b.pipelineOverrides.copy();
        drivers = List.copyOf(b.drivers);
        drainTimeout = b.drainTimeout;
        jvmOptions = List.copyOf(b.jvmOptions);
        consumerPerfBaseline = b.consumerPerfBaseline;
        inputProducerProps = Map.copyOf(b.inputProducerProps);
        dedupe = b.dedupe;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public double rate() {
        return rate;
    }

    public int loadSeconds() {
        return loadSeconds;
    }

    /**
     * Seconds of warm-up load at half the rate before the measured load (JIT, connections; then drained): a
     * quarter of the load, 5 to 30 s.
     */
    public int warmupSeconds() {
        return Math.max(5, Math.min(30, loadSeconds / 4));
    }

    public int partitions() {
        return partitions;
    }

    /** The consumer's ordering mode ({@code partition} or {@code key}). */
    public String ordering() {
        return ordering;
    }

    /**
     * The pipeline's {@code batch.mode} ({@code fixed} or {@code adaptive}), or null when the run leaves it to the
     * engine's default (the key is then not written at all).
     */
    public String batchMode() {
        return batchMode;
    }

    /** The latency the local function adds per invocation (ms). */
    public long lambdaLatencyMs() {
        return lambdaLatencyMs;
    }

    /** The hot key's share of the input ({@link KeyDraw#withHotKey}), or null for the plain 80/20 input. */
    public Double hotKeyShare() {
        return hotKeyShare;
    }

    /** A copy of what is merged into the pipeline's config object ({@link Builder#pipeline}). */
    public JsonObject pipelineOverrides() {
        return pipelineOverrides.copy();
    }

    /** The input's key draw. */
    public KeyDraw keyDraw() {
        return hotKeyShare == null ? KeyDraw.eightyTwenty(trucks) : KeyDraw.withHotKey(trucks, hotKeyShare);
    }

    /**
     * Called once a second on the runner thread while the load runs (faults, rate steps, probes). Return
     * false to end the load early.
     */
    @FunctionalInterface
    public interface Driver {
        boolean onSecond(RunContext ctx, int second) throws Exception;

        /** Does {@code action} once, at {@code second}, and marks it on the timeline with {@code label}. */
        static Driver at(int second, String label, Action action) {
            return (ctx, s) -> {
                if (s == second) {
                    ctx.mark(label);
                    action.run(ctx);
                }
                return true;
            };
        }
    }

    /** A fault or step taken on the runner thread. */
    @FunctionalInterface
    public interface Action {
        void run(RunContext ctx) throws Exception;
    }

    /** Builder with the defaults of the {@code steady} scenario. */
    public static final class Builder {
        private final String name;
        private int brokers = 1;
        private short replication = 1;
        private int partitions = 12;
        private double rate = 13_000;
        private int loadSeconds = 120;
        private int processes = 1;
        private boolean staticMembership;
        private String ordering = "partition";
        private String batchMode;
        private boolean tracing;
        private long lambdaLatencyMs;
        private double errorRate;
        private double throttleRate;
        private int poisonEvery;
        private int trucks = 5_000;
        private Double hotKeyShare;
        private JsonObject pipelineOverrides = new JsonObject();
        private final List<Driver> drivers = new ArrayList<>();
        private Duration drainTimeout = Duration.ofSeconds(180);
        private List<String> jvmOptions = List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC");
        private boolean consumerPerfBaseline;
        private final Map<String, String> inputProducerProps = new HashMap<>(Map.of("metadata.max.age.ms", "5000"));
        private io.sluice.locallambda.LocalDedupe dedupe;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name);
        }

        /** {@code n} brokers; with 3, replication factor 3 and {@code min.insync.replicas=2}. */
        public Builder brokers(int n) {
            brokers = n;
            replication = (short) Math.min(3, n);
            return this;
        }

        public Builder partitions(int n) {
            partitions = n;
            return this;
        }

        public Builder rate(double perSecond) {
            rate = perSecond;
            return this;
        }

        public Builder loadSeconds(int s) {
            loadSeconds = s;
            return this;
        }

        public Builder processes(int n) {
            processes = n;
            return this;
        }

        public Builder staticMembership(boolean on) {
            staticMembership = on;
            return this;
        }

        public Builder ordering(String mode) {
            ordering = mode == null ? ordering : mode;
            return this;
        }
        /**
         * The pipeline's {@code batch.mode}: {@code fixed}, {@code adaptive}, or null (the default) to write no
         * {@code batch.mode} and run the engine's default.
         */
        public Builder batchMode(String mode) {
            if (mode != null && !mode.equals("fixed") && !mode.equals("adaptive")) {
                throw new IllegalArgumentException(
                        "batch mode must be fixed or adaptive (or null for the engine's default), got '" + mode + "'");
            }
            batchMode = mode;
            return this;
        }

        public Builder lambdaLatencyMs(long ms) {
            lambdaLatencyMs = ms;
            return this;
        }
        /** Sluice's {@code tracing} on (see {@link RunSpec#tracing}). */
        public Builder tracing(boolean on) {
            tracing = on;
            return this;
        }

        public Builder errors(double errors, double throttles) {
            errorRate = errors;
            throttleRate = throttles;
            return this;
        }
        /** Every {@code n}-th event is not JSON (0 = none). */
        public Builder poisonEvery(int n) {
            poisonEvery = n;
            return this;
        }

        public Builder trucks(int n) {
            trucks = n;
            return this;
        }
        /**
         * The hot key {@code 400:T-00001} carries {@code share} of the input (1 = the only key), the rest is 80/20;
         * the run then reports the latency of the hot key and of all other keys apart ({@code PipelineRun.Outcome.keySplit}).
         */
        public Builder hotKeyShare(double share) {
            hotKeyShare = share;
            return this;
        }
        /** Merged into the pipeline's config object (e.g. {@code batch}, {@code retry}). */
        public Builder pipeline(JsonObject overrides) {
            pipelineOverrides = pipelineOverrides.mergeIn(overrides, true);
            return this;
        }

        public Builder driver(Driver d) {
            drivers.add(d);
            return this;
        }

        public Builder drainTimeout(Duration d) {
            drainTimeout = d;
            return this;
        }

        public Builder jvmOptions(List<String> options) {
            jvmOptions = options;
            return this;
        }
        /** Also run Kafka's ConsumerPerformance over the input topic after the run. */
        public Builder consumerPerfBaseline(boolean on) {
            consumerPerfBaseline = on;
            return this;
        }

        /** A property of the input producer (the load generator, not Sluice). */
        public Builder inputProducer(String key, String value) {
            inputProducerProps.put(key, value);
            return this;
        }

        /** The function's dedupe store (e.g. DynamoDB on a dynalite the local endpoint starts); null = off. */
        public Builder dedupe(io.sluice.locallambda.LocalDedupe d) {
            dedupe = d;
            return this;
        }

        public RunSpec build() {
            return new RunSpec(this);
        }
    }
}
