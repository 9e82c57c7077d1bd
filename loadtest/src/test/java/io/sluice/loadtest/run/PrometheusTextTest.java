package io.sluice.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    private static final String TEXT = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2097152.0
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7
            sluice_consumer_lag_seconds{partition="0",pipeline="a, \\"b\\"",topic="t"} 1.5
            sluice_consumer_lag_seconds{partition="1",pipeline="a",topic="t"} 3.25
            process_uptime_seconds 12.0
            garbage line
            """;

    @Test
    void sumsByLabelAndTakesTheMaximum() {
        PrometheusText m = PrometheusText.parse(TEXT);
        assertThat(m.sum("jvm_memory_used_bytes", "area", "heap")).isEqualTo(10_485_760.0 + 2_097_152.0);
        assertThat(m.max("sluice_consumer_lag_seconds")).isEqualTo(3.25);
        assertThat(m.max("absent")).isNull();
        assertThat(m.samples()).anySatisfy(s -> assertThat(s.labels()).containsEntry("pipeline", "a, \"b\""));
        assertThat(m.samples()).anySatisfy(s -> assertThat(s.name()).isEqualTo("process_uptime_seconds"));
    }
}
