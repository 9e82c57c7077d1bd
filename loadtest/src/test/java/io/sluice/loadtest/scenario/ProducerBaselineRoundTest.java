package io.sluice.loadtest.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProducerBaselineRoundTest {

    @Test
    void theMedianRoundIsTheOneWithTheMiddleRatioNotTheMiddleThroughputs() {
        ProducerBaselineScenario.Round fastMachine =
                new ProducerBaselineScenario.Round(1, true, 300_000, 300_000, 240_000); // 0.80
        ProducerBaselineScenario.Round slowMachine =
                new ProducerBaselineScenario.Round(2, false, 150_000, 150_000, 165_000); // 1.10
        ProducerBaselineScenario.Round middle =
                new ProducerBaselineScenario.Round(3, true, 200_000, 200_000, 190_000); // 0.95

        ProducerBaselineScenario.Round median =
                ProducerBaselineScenario.Round.median(List.of(fastMachine, slowMachine, middle));

        assertThat(median.number()).isEqualTo(3);
        assertThat(median.ratio()).isEqualTo(0.95);
    }

    @Test
    void anEvenCountTakesTheLowerMiddleAndNoRoundsIsAnError() {
        ProducerBaselineScenario.Round a = new ProducerBaselineScenario.Round(1, true, 100, 100, 80);
        ProducerBaselineScenario.Round b = new ProducerBaselineScenario.Round(2, false, 100, 100, 95);

        assertThat(ProducerBaselineScenario.Round.median(List.of(b, a)).number())
                .isEqualTo(1);
        assertThatThrownBy(() -> ProducerBaselineScenario.Round.median(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theJsonListsEveryRoundWithItsOrderAndNamesTheMedian() {
        List<ProducerBaselineScenario.Round> rounds = List.of(
                new ProducerBaselineScenario.Round(1, true, 200_000, 200_000, 180_000),
                new ProducerBaselineScenario.Round(2, false, 210_000, 180_000, 220_500));

        JsonObject json = ProducerBaselineScenario.Round.toJson(rounds, rounds.get(0));

        assertThat(json.getInteger("medianRound")).isEqualTo(1);
        assertThat(json.getJsonArray("rounds")).hasSize(2);
        JsonObject second = json.getJsonArray("rounds").getJsonObject(1);
        assertThat(second.getString("first")).isEqualTo("sluice");
        assertThat(second.getDouble("producerRatio")).isEqualTo(1.05); // against the tool's steady rate
        assertThat(second.getDouble("producerPerfWholeRunRecordsPerSec")).isEqualTo(180_000.0);
        assertThat(ProducerBaselineScenario.Round.summary(rounds))
                .isEqualTo("180000/200000 = 0.900, 220500/210000 = 1.050");
    }
}
