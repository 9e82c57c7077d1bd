package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PauseStateTest {
    @Test
    void pausesAboveHighWaterAndResumesOnlyBelowLowWater() {
        PauseState p = new PauseState(1000, 1_000_000, 0.5);
        assertThat(p.inFlight(999, 10)).isFalse();
        assertThat(p.inFlight(1000, 10)).isTrue();
        assertThat(p.paused()).isTrue();
        assertThat(p.inFlight(700, 10)).isFalse(); // between marks: stays paused
        assertThat(p.paused()).isTrue();
        assertThat(p.inFlight(500, 10)).isTrue();
        assertThat(p.paused()).isFalse();
    }

    @Test
    void bytesAloneTriggerThePause() {
        PauseState p = new PauseState(1000, 1000, 0.5);
        assertThat(p.inFlight(1, 1000)).isTrue();
        assertThat(p.reasons()).containsExactly(PauseState.Reason.IN_FLIGHT);
    }

    @Test
    void otherReasonsKeepItPausedAfterInFlightClears() {
        PauseState p = new PauseState(10, 1000, 0.5);
        p.set(PauseState.Reason.MANUAL, true);
        p.inFlight(20, 0);
        assertThat(p.inFlight(0, 0)).isFalse();
        assertThat(p.paused()).isTrue();
        assertThat(p.set(PauseState.Reason.MANUAL, false)).isTrue();
        assertThat(p.paused()).isFalse();
    }
}
