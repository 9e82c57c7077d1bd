package io.sluice.bench;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The producer records one ack latency per acknowledged record: the cost of one {@code Timer.record} in the
 * Prometheus registry Sluice runs with, for the timer as it was (client-side p50/p99 and the percentile histogram)
 * against the histogram alone (the buckets Prometheus' {@code histogram_quantile} reads).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AckLatencyTimerBench {
    private Timer percentilesAndHistogram;
    private Timer histogramOnly;
    private long value;

    @Setup
    public void setUp() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        percentilesAndHistogram = Timer.builder("before")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .register(registry);
        histogramOnly = Timer.builder("after").publishPercentileHistogram().register(registry);
    }

    @Benchmark
    public void percentilesAndHistogramBaseline() {
        percentilesAndHistogram.record(next(), TimeUnit.NANOSECONDS);
    }

    @Benchmark
    public void histogramOnly() {
        histogramOnly.record(next(), TimeUnit.NANOSECONDS);
    }

    private long next() { // 1-20 ms, spread over the buckets
        value = (value + 7_919_113) % 19_000_000;
        return 1_000_000 + value;
    }
}
