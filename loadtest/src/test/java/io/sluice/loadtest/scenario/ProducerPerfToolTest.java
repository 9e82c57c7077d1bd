package io.sluice.loadtest.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProducerPerfToolTest {
    @Test
    void parsesTheLastSummaryLine() {
        String out =
                "499926 records sent, 99985.2 records/sec (19.07 MB/sec), 3.1 ms avg latency, 150.0 ms max latency.\n"
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
    void theSteadyRateLeavesOutTheFirstWindowWhereTheFreshJvmCompiles() {
        String out =
                "500000 records sent, 100000.0 records/sec (19.07 MB/sec), 3.1 ms avg latency, 150.0 ms max latency.\n"
                        + "1250000 records sent, 250000.0 records/sec (47.68 MB/sec), 2.0 ms avg latency, 20.0 ms max latency.\n"
                        + "1500000 records sent, 300000.0 records/sec (57.22 MB/sec), 2.0 ms avg latency, 20.0 ms max latency.\n"
                        + "3400000 records sent, 226666.7 records/sec (43.23 MB/sec), 2.10 ms avg latency, 150.00 ms max latency, "
                        + "2 ms 50th, 6 ms 95th, 11 ms 99th, 40 ms 99.9th.\n";
        ProducerPerfTool.Result r = ProducerPerfTool.parse(out, Duration.ofSeconds(16));

        assertThat(r.recordsPerSec()).isEqualTo(226666.7);
        // 2,750,000 records in 5 s + 5 s
        assertThat(r.steadyRecordsPerSec()).isCloseTo(275_000, offset(0.1));
    }

    @Test
    void withFewerThanTwoWindowsTheSteadyRateIsTheWholeRun() {
        String out =
                "500000 records sent, 100000.0 records/sec (19.07 MB/sec), 3.1 ms avg latency, 150.0 ms max latency.\n"
                        + "600000 records sent, 110000.0 records/sec (20.98 MB/sec), 2.95 ms avg latency, 150.00 ms max latency, "
                        + "2 ms 50th, 6 ms 95th, 11 ms 99th, 40 ms 99.9th.\n";

        assertThat(ProducerPerfTool.parse(out, Duration.ofSeconds(6)).steadyRecordsPerSec())
                .isEqualTo(110000.0);
    }

    @Test
    void noSummaryIsAnError() {
        assertThatThrownBy(() -> ProducerPerfTool.parse("oops", Duration.ZERO))
                .hasMessageContaining("no ProducerPerformance summary");
    }

    @Test
    void payloadsAreTwoHundredByteEvents() {
        assertThat(ProducerBaselineScenario.payloads(100))
                .allSatisfy(e -> assertThat(e.encode().length()).isBetween(190, 210));
    }
}
