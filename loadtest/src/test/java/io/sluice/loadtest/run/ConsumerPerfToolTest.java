package io.sluice.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConsumerPerfToolTest {

    @Test
    void parsesTheResultLineUnderItsHeader() {
        String out = """
                start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
                2026-11-30 00:50:01:123, 2026-11-30 00:50:05:456, 190.7349, 44.0, 1000000, 230787.0, 3120, 1213, 157.2, 824402.3
                """;
        ConsumerPerfTool.Result r = ConsumerPerfTool.parse(out);
        assertThat(r.records()).isEqualTo(1_000_000);
        assertThat(r.recordsPerSec()).isEqualTo(824_402.3);
    }

    @Test
    void noResultLineIsAnErrorNamingTheOutput() {
        assertThatThrownBy(() -> ConsumerPerfTool.parse("WARN nothing here")).hasMessageContaining("nothing here");
    }
}
