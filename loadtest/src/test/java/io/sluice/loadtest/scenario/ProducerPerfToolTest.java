package io.sluice.loadtest.scenario;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProducerPerfToolTest {
    @Test
    void parsesTheLastSummaryLine() {
        String out = "499926 records sent, 99985.2 records/sec (19.07 MB/sec), 3.1 ms avg latency, 150.0 ms max latency.\n"
                + "1000000 records sent, 101234.5 records/sec (19.31 MB/sec), 2.95 ms avg latency, 150.00 ms max latency, "
                + "2 ms 50th, 6 ms 95th, 11 ms 99th, 40 ms 99.9th.\n";
        ProducerPerfTool.Result r = ProducerPerfTool.parse(out, Duration.ofSeconds(10));
        assertThat(r.records()).isEqualTo(1_000_000);
        assertThat(r.recordsPerSec()).isEqualTo(101234.5);
        assertThat(r.p50Ms()).isEqualTo(2);
        assertThat(r.p99Ms()).isEqualTo(11);
        assertThat(r.p999Ms()).isEqualTo(40);
    }

    @Test
    void noSummaryIsAnError() {
        assertThatThrownBy(() -> ProducerPerfTool.parse("oops", Duration.ZERO)).hasMessageContaining("no ProducerPerformance summary");
    }

    @Test
    void payloadsAreTwoHundredByteEvents() {
        assertThat(ProducerBaselineScenario.payloads(100)).allSatisfy(e ->
                assertThat(e.encode().length()).isBetween(190, 210));
    }
}
