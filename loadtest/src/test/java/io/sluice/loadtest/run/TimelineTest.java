package io.sluice.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {

    private static Timeline.Sample s(double t, long produced, long delivered, Long lag) {
        return new Timeline.Sample(t, 1000, produced, delivered, lag, null, null, null);
    }

    @Test
    void ratesAreCountDifferencesOverTime() {
        List<Timeline.Sample> w =
                List.of(s(10, 10_000, 9_000, 0L), s(11, 11_000, 10_000, 0L), s(12, 12_000, 10_500, 0L));
        assertThat(Timeline.producedRate(w)).isEqualTo(1000.0);
        assertThat(Timeline.deliveredRate(w)).isEqualTo(750.0);
        assertThat(Timeline.producedRate(w.subList(0, 1))).isZero();
    }

    @Test
    void backlogSlopeIsFlatWhenDeliveryKeepsUpAndPositiveWhenItFallsBehind() {
        List<Timeline.Sample> flat =
                List.of(s(0, 0, 0, 0L), s(1, 1000, 1000, 0L), s(2, 2000, 2000, 0L), s(3, 3000, 3000, 0L));
        List<Timeline.Sample> behind =
                List.of(s(0, 0, 0, 0L), s(1, 1000, 500, 0L), s(2, 2000, 1000, 0L), s(3, 3000, 1500, 0L));
        assertThat(Timeline.backlogSlope(flat)).isCloseTo(0, within(1e-9));
        assertThat(Timeline.backlogSlope(behind)).isCloseTo(500, within(1e-9));
    }

    @Test
    void aWindowKeptUpWhenDeliveryMatchesTheInputAndTheBacklogIsFlat() {
        List<Timeline.Sample> flat = List.of(s(0, 0, 0, 0L), s(1, 1000, 1000, 0L), s(2, 2000, 2000, 0L));
        List<Timeline.Sample> behind = List.of(s(0, 0, 0, 0L), s(1, 1000, 500, 0L), s(2, 2000, 1000, 0L));
        assertThat(Timeline.window(flat).keptUp(1000)).isTrue();
        assertThat(Timeline.window(behind).keptUp(1000)).isFalse();
        assertThat(Timeline.window(behind).deliveredPerSec()).isEqualTo(500.0);
        assertThat(Timeline.window(flat.subList(0, 1)).keptUp(1000))
                .as("one sample says nothing")
                .isFalse();
    }

    @Test
    void jsonHasPerSecondRatesAndTheFirstSampleHasNone() {
        Timeline t = new Timeline();
        t.add(s(1, 1000, 0, 10L));
        t.add(s(2, 2000, 1500, 5L));
        t.mark(1.5, "broker 2 killed");
        JsonArray arr = t.toJson();
        assertThat(arr.getJsonObject(0).getValue("producedPerSec")).isNull();
        assertThat(arr.getJsonObject(1).getLong("producedPerSec")).isEqualTo(1000L);
        assertThat(arr.getJsonObject(1).getLong("deliveredPerSec")).isEqualTo(1500L);
        assertThat(t.eventsJson().getJsonObject(0).getString("label")).isEqualTo("broker 2 killed");
        assertThat(t.between(1.5, 3)).hasSize(1);
    }
}
