package io.sluice.dispatch;

import static io.sluice.dispatch.DlqOutage.Kind.ONGOING;
import static io.sluice.dispatch.DlqOutage.Kind.RECOVERED;
import static io.sluice.dispatch.DlqOutage.Kind.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the DLQ writer reports an outage, and what readiness sees. */
class DlqOutageTest {
    private final DlqOutage o = new DlqOutage(1_000);

    @Test
    void oneWarnPerIntervalWhateverTheFailures() {
        assertThat(o.failed(10_000, true, "e1").kind()).isEqualTo(STARTED);
        assertThat(o.failed(10_001, true, "e2")).isNull();
        assertThat(o.failed(10_999, false, "e3")).isNull();
        DlqOutage.Report r = o.failed(11_000, false, "e4");
        assertThat(r).isEqualTo(new DlqOutage.Report(ONGOING, 2, 1_000, 0, 0, "e4"));
        assertThat(o.failed(11_500, false, "e5")).isNull();
        assertThat(o.health()).isEqualTo(new DeadLetterWriter.Health(false, 2, 10_000, "e5"));
    }

    @Test
    void recoversWhenTheLastWaitingRecordIsSettled() {
        o.failed(0, true, "e");
        o.failed(1, true, "e");
        o.failed(2, true, "e");
        assertThat(o.settled(3_000, true)).isNull();
        assertThat(o.settled(3_100, false)).isNull();
        assertThat(o.health().waitingRecords()).isEqualTo(1);
        assertThat(o.settled(3_500, true)).isEqualTo(new DlqOutage.Report(RECOVERED, 0, 3_500, 2, 1, "e"));
        assertThat(o.health()).isEqualTo(new DeadLetterWriter.Health(true, 0, -1, null));
    }

    @Test
    void aFlappingTopicStillGetsAtMostOneWarnPerIntervalAndNoUnmatchedInfo() {
        assertThat(o.failed(0, true, "e").kind()).isEqualTo(STARTED);
        assertThat(o.settled(10, true).kind()).isEqualTo(RECOVERED);
        // a second outage inside the interval: not reported, so its recovery is not either
        assertThat(o.failed(20, true, "e")).isNull();
        assertThat(o.settled(30, true)).isNull();
        // a third, after the interval: reported again as a new outage
        assertThat(o.failed(1_500, true, "e").kind()).isEqualTo(STARTED);
        assertThat(o.health().unavailableSinceMs()).isEqualTo(1_500);
    }

    @Test
    void availableWhenNothingEverFailed() {
        assertThat(o.health()).isEqualTo(new DeadLetterWriter.Health(true, 0, -1, null));
    }
}
