package io.sluice.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Meters of one consumer pipeline (tag {@code pipeline}). Names are documented in docs/operations.md ("Metrics").
 * Thread-safe (Micrometer meters are).
 */
public final class PipelineMetrics {
    private final MeterRegistry registry;
    private final String pipeline;
    private final Counter polled;
    private final Counter delivered;
    private final Counter committed;
    private final Counter retries;
    private final DistributionSummary batchRecords;
    private final DistributionSummary batchBytes;
    private final Timer invokeLatency;
    private final DistributionSummary batchPartitions;
    private final DistributionSummary batchLanes;
    private final Map<String, Counter> byTag = new ConcurrentHashMap<>();
    private final io.sluice.hotkeys.KeyWindow keys;

    public PipelineMetrics(MeterRegistry registry, String pipeline) {
        this(registry, pipeline, io.sluice.hotkeys.KeyWindow.off());
    }

    /** @param keys the pipeline's hot-key window, fed by its consumer's event loop */
    public PipelineMetrics(MeterRegistry registry, String pipeline, io.sluice.hotkeys.KeyWindow keys) {
        this.keys = keys;
        this.registry = registry;
        this.pipeline = pipeline;
        this.polled = Counter.builder("sluice.consumer.records.polled")
                .tag("pipeline", pipeline)
                .register(registry);
        this.delivered = Counter.builder("sluice.dispatch.records.delivered")
                .tag("pipeline", pipeline)
                .register(registry);
        this.committed = Counter.builder("sluice.consumer.records.committed")
                .tag("pipeline", pipeline)
                .register(registry);
        this.retries = Counter.builder("sluice.dispatch.retries")
                .tag("pipeline", pipeline)
                .register(registry);
        this.batchRecords = DistributionSummary.builder("sluice.batch.records")
                .tag("pipeline", pipeline)
                .publishPercentileHistogram()
                .register(registry);
        this.batchBytes = DistributionSummary.builder("sluice.batch.bytes")
                .baseUnit("bytes")
                .tag("pipeline", pipeline)
                .register(registry);
        this.batchPartitions = DistributionSummary.builder("sluice.batch.partitions")
                .tag("pipeline", pipeline)
                .register(registry);
        this.batchLanes = DistributionSummary.builder("sluice.batch.lanes")
                .tag("pipeline", pipeline)
                .register(registry);
        this.invokeLatency = Timer.builder("sluice.dispatch.invoke.latency")
                .tag("pipeline", pipeline)
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    /** The pipeline's hot-key window (written by its consumer verticle only). */
    public io.sluice.hotkeys.KeyWindow keys() {
        return keys;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public String pipeline() {
        return pipeline;
    }

    public void polled(int n) {
        polled.increment(n);
    }

    public void delivered(int n) {
        delivered.increment(n);
    }

    public double deliveredCount() {
        return delivered.count();
    }

    public void committed(long n) {
        committed.increment(n);
    }

    public double committedCount() {
        return committed.count();
    }

    public void retry() {
        retries.increment();
    }

    /**
     * Records sent again only to keep lane order: they followed a failed record of their lane in the invocation
     * (the function may have processed them; the event source mapping's checkpoint rule re-sends them too).
     */
    public void resentForOrder(int n) {
        tagged("sluice.dispatch.records.resent", "why", "order").increment(n);
    }

    /** Partitions and lanes one invocation carried. */
    public void batchSpan(int partitions, int lanes) {
        batchPartitions.record(partitions);
        batchLanes.record(lanes);
    }

    /** A closed batch; its size is recorded only when it is {@code invoked} (a too-large record is not). */
    public void batch(int records, int bytes, String closeReason, boolean invoked) {
        if (invoked) {
            batchRecords.record(records);
            batchBytes.record(bytes);
        }
        tagged("sluice.batch.closed", "reason", closeReason).increment();
    }

    public void invocation(String outcome, long nanos) {
        invokeLatency.record(nanos, TimeUnit.NANOSECONDS);
        tagged("sluice.dispatch.invocations", "outcome", outcome).increment();
    }

    public void deadLettered(String reason, int n) {
        tagged("sluice.dispatch.records.dlq", "reason", reason).increment(n);
    }

    public double deadLetteredCount() {
        return registry.find("sluice.dispatch.records.dlq").tag("pipeline", pipeline).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    public void commits(boolean ok) {
        tagged("sluice.consumer.commits", "result", ok ? "ok" : "failed").increment();
    }

    /** Registers a gauge read from {@code value} (weakly referenced owner is this metrics object). */
    public void gauge(String name, Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, value)
                .tag("pipeline", pipeline)
                .strongReference(true)
                .register(registry);
    }

    private Counter tagged(String name, String tag, String value) {
        return byTag.computeIfAbsent(
                name + '|' + tag + '|' + value,
                k -> Counter.builder(name)
                        .tag("pipeline", pipeline)
                        .tag(tag, value)
                        .register(registry));
    }
}
