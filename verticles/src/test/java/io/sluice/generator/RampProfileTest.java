package io.sluice.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RampProfileTest {

    private static RampProfile ramp(String json) {
        return RampProfile.fromJson(new JsonObject(json), "generator.ramp");
    }

    @Test
    void stepsAreRelativeToTheLargestAndTheLastOneHolds() {
        RampProfile ramp = ramp("{\"steps\":[1,5,10],\"stepSeconds\":30}");

        assertThat(ramp.multiplierAt(0)).isCloseTo(0.1, within(1e-12));
        assertThat(ramp.multiplierAt(29_999)).isCloseTo(0.1, within(1e-12));
        assertThat(ramp.multiplierAt(30_000)).isCloseTo(0.5, within(1e-12));
        assertThat(ramp.multiplierAt(59_999)).isCloseTo(0.5, within(1e-12));
        assertThat(ramp.multiplierAt(60_000)).isEqualTo(1.0);
        assertThat(ramp.multiplierAt(3_600_000)).isEqualTo(1.0);
        assertThat(ramp.stepAt(45_000)).isEqualTo(1);
        assertThat(ramp.rampMillis()).isEqualTo(60_000);
    }

    @Test
    void negativeElapsedIsTheFirstStep() {
        assertThat(ramp("{\"steps\":[2,4],\"stepSeconds\":1}").multiplierAt(-5)).isEqualTo(0.5);
    }

    @Test
    void stepsNeedNotBeIncreasing() {
        RampProfile ramp = ramp("{\"steps\":[4,0,2],\"stepSeconds\":0.5}");

        assertThat(ramp.multiplierAt(0)).isEqualTo(1.0);
        assertThat(ramp.multiplierAt(500)).isEqualTo(0.0);
        assertThat(ramp.multiplierAt(1_000)).isEqualTo(0.5);
        assertThat(ramp.stepMillis()).isEqualTo(500);
    }

    @Test
    void noneIsAlwaysOne() {
        assertThat(RampProfile.none().multiplierAt(0)).isEqualTo(1.0);
        assertThat(RampProfile.none().multiplierAt(Long.MAX_VALUE)).isEqualTo(1.0);
        assertThat(RampProfile.fromJson(null, "x")).isSameAs(RampProfile.none());
        assertThat(RampProfile.none().rampMillis()).isZero();
    }

    @Test
    void stepsAreCopiedDefensively() {
        double[] steps = {1, 2};
        RampProfile ramp = RampProfile.of(steps, 1);
        steps[0] = 100;
        ramp.steps()[1] = 100;

        assertThat(ramp.multiplierAt(0)).isEqualTo(0.5);
    }

    @Test
    void configErrorsNameTheKey() {
        assertThatThrownBy(() -> ramp("{\"steps\":[],\"stepSeconds\":30}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("generator.ramp.steps: must be a non-empty array");
        assertThatThrownBy(() -> ramp("{\"steps\":[1,-2],\"stepSeconds\":30}"))
                .hasMessageStartingWith("generator.ramp.steps[1]: must be a number >= 0");
        assertThatThrownBy(() -> ramp("{\"steps\":[0,0],\"stepSeconds\":30}"))
                .hasMessageStartingWith("generator.ramp.steps: at least one step must be > 0");
        assertThatThrownBy(() -> ramp("{\"steps\":[1]}"))
                .hasMessageStartingWith("generator.ramp.stepSeconds: must be a number of seconds in (0, 86400]");
        assertThatThrownBy(() -> ramp("{\"steps\":[1],\"stepSeconds\":0}"))
                .hasMessageStartingWith("generator.ramp.stepSeconds: ");
        assertThatThrownBy(() -> ramp("{\"steps\":[1],\"stepSeconds\":1,\"repeat\":true}"))
                .hasMessageStartingWith("generator.ramp.repeat: unknown key");
    }
}
