package io.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The status API's latency percentiles, read from the Prometheus registry Sluice runs with. */
class MeterReaderTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MeterReader reader = new MeterReader(registry, List.of());

    private void record(Timer t, int n, long ms) {
        for (int i = 0; i < n; i++) {
            t.record(ms, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aHistogramOnlyTimerGetsItsPercentilesEstimatedFromTheBuckets() {
        Timer ack = Timer.builder("ack").publishPercentileHistogram().register(registry);
        record(ack, 900, 5);
        record(ack, 100, 40);

        JsonObject p = reader.percentilesMs("ack", null);

        assertThat(p.getDouble("p50")).isCloseTo(5.0, within(5.0 / 3)); // within a bucket's width
        assertThat(p.getDouble("p99")).isCloseTo(40.0, within(40.0 / 3));
    }

    @Test
    void theEstimateMovesToTheRecentRecordsOnceTheWindowHasTurned() {
        Timer ack = Timer.builder("ack").publishPercentileHistogram().register(registry);
        record(ack, 10_000, 2);
        assertThat(reader.percentilesMs("ack", null).getDouble("p50")).isCloseTo(2.0, within(1.0));

        reader.tick(0); // the window's newer snapshot: now
        reader.tick(30_000); // a window later: that snapshot is the start
        record(ack, 100, 300);

        assertThat(reader.percentilesMs("ack", null).getDouble("p50")).isCloseTo(300.0, within(100.0));
    }

    @Test
    void aTimerWithClientSidePercentilesIsReadAsBeforeAndAMissingOneIsNull() {
        Timer invoke = Timer.builder("invoke")
                .tag("pipeline", "standard")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        record(invoke, 100, 12);

        assertThat(reader.percentilesMs("invoke", "standard").getDouble("p50")).isCloseTo(12.0, within(1.0));
        assertThat(reader.percentilesMs("absent", null).getValue("p99")).isNull();
        Timer.builder("empty").publishPercentileHistogram().register(registry);
        assertThat(reader.percentilesMs("empty", null).getValue("p50")).isNull();
    }
}
