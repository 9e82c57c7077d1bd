package io.sluice.locallambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.lambda.RecordId;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class FaultSettingsTest {

    @Test
    void mergeReplacesOnlyGivenFieldsAndNullResets() {
        FaultSettings s = FaultSettings.NONE.merge(
                new JsonObject(
                        "{\"latencyMs\":20,\"errorRate\":0.5,"
                                + "\"failOffsets\":[{\"topic-partition\":\"t-0\",\"offset\":\"15\"},{\"topic-partition\":\"t-1\",\"offset\":3}]}"));
        s = s.merge(new JsonObject("{\"throttleRate\":0.25,\"outage\":true,\"outageMode\":\"closeConnection\"}"));

        assertThat(s.latencyMs()).isEqualTo(20);
        assertThat(s.errorRate()).isEqualTo(0.5);
        assertThat(s.throttleRate()).isEqualTo(0.25);
        assertThat(s.outage()).isTrue();
        assertThat(s.outageMode()).isEqualTo(FaultSettings.OutageMode.CLOSE_CONNECTION);
        assertThat(s.failOffsets()).containsExactlyInAnyOrder(new RecordId("t-0", 15), new RecordId("t-1", 3));
        assertThat(s.toJson().getJsonArray("failOffsets").getJsonObject(0).getValue("offset"))
                .isEqualTo(15L);

        FaultSettings cleared = s.merge(new JsonObject("{\"errorRate\":null,\"failOffsets\":null}"));
        assertThat(cleared.errorRate()).isZero();
        assertThat(cleared.failOffsets()).isEmpty();
        assertThat(cleared.latencyMs()).isEqualTo(20);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"errorRate\":1.5}|errorRate must be in 0..1",
                "{\"throttleRate\":-0.1}|throttleRate must be in 0..1",
                "{\"throttleRate\":\"high\"}|throttleRate must be a number in 0..1",
                "{\"partialFailureRate\":1.01}|partialFailureRate must be in 0..1 but was 1.01",
                "{\"partialFailureRate\":-0.5}|partialFailureRate must be in 0..1 but was -0.5",
                "{\"partialFailureRate\":true}|partialFailureRate must be a number in 0..1 but was true",
                "{\"latencyMs\":-1}|latencyMs must be in 0..900000",
                "{\"latencyMs\":1.5}|latencyMs must be an integer in 0..900000",
                "{\"latencyMedianMs\":10}|latencyMedianMs and latencyP99Ms must be given together",
                "{\"latencyMedianMs\":100,\"latencyP99Ms\":50}|latencyP99Ms must be in 100..900000",
                "{\"outage\":\"yes\"}|outage must be true or false",
                "{\"outageMode\":\"explode\"}|outageMode must be one of serviceException, closeConnection",
                "{\"failOffsets\":[{\"offset\":1}]}|failOffsets[0]: itemIdentifier.topic-partition",
                "{\"failOffsets\":{}}|failOffsets must be an array",
                "{\"latency\":5}|unknown field 'latency'"
            })
    void badPatchesNameTheFieldAndRange(String caseSpec) {
        String[] parts = caseSpec.split("\\|");
        assertThatThrownBy(() -> FaultSettings.NONE.merge(new JsonObject(parts[0])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(parts[1]);
    }

    @Test
    void partialFailureRateRoundTripsThroughJsonAndResets() {
        FaultSettings s = FaultSettings.NONE.merge(new JsonObject("{\"partialFailureRate\":0.05,\"errorRate\":0.2,"
                + "\"failOffsets\":[{\"topic-partition\":\"t-3\",\"offset\":9}]}"));

        assertThat(s.partialFailureRate()).isEqualTo(0.05);
        assertThat(s.active()).isTrue();
        assertThat(s.toJson().getDouble("partialFailureRate")).isEqualTo(0.05);
        assertThat(FaultSettings.NONE.merge(s.toJson()))
                .as("toJson is a complete patch")
                .isEqualTo(s);
        assertThat(FaultSettings.NONE.toJson().getDouble("partialFailureRate")).isZero();
        assertThat(s.merge(new JsonObject("{\"partialFailureRate\":null}")).partialFailureRate())
                .isZero();
        assertThat(FaultSettings.NONE.withPartialFailureRate(0.3).active()).isTrue();

        FaultInjection f = new FaultInjection().partialFailureRate(0.25);
        assertThat(f.get().partialFailureRate()).isEqualTo(0.25);
        assertThatThrownBy(() -> f.partialFailureRate(1.5))
                .hasMessage("partialFailureRate must be in 0..1 but was 1.5");
        assertThat(f.get().partialFailureRate()).isEqualTo(0.25);
        assertThat(f.reset().get().partialFailureRate()).isZero();
    }

    @Test
    void forcedFailuresAreTheListedRecordsPlusAnIndependentDrawPerRecord() {
        Set<RecordId> listed = Set.of(new RecordId("t-0", 5));
        Predicate<RecordId> none = DispatcherFunction.forcedFailure(listed, 0.0);
        Predicate<RecordId> all = DispatcherFunction.forcedFailure(listed, 1.0);
        Predicate<RecordId> some = DispatcherFunction.forcedFailure(listed, 0.2);

        assertThat(none.test(new RecordId("t-0", 5))).isTrue();
        assertThat(LongStream.range(0, 1_000).filter(o -> none.test(new RecordId("t-1", o))))
                .isEmpty();
        assertThat(LongStream.range(0, 1_000).filter(o -> all.test(new RecordId("t-1", o))))
                .hasSize(1_000);
        long drawn = LongStream.range(0, 20_000)
                .filter(o -> some.test(new RecordId("t-1", o)))
                .count();
        assertThat(drawn).as("about 20 percent of 20,000 (5 sigma: +-283)").isBetween(3_700L, 4_300L);
        assertThat(some.test(new RecordId("t-0", 5))).isTrue();
    }

    @Test
    void logNormalLatencyHitsTheConfiguredMedianAndP99() {
        FaultSettings s = FaultSettings.NONE.withLatencyDistribution(50L, 400L);
        long[] samples = LongStream.range(0, 40_000)
                .map(i -> s.sampleLatencyMs())
                .sorted()
                .toArray();

        assertThat(samples[samples.length / 2]).isBetween(45L, 55L);
        assertThat(samples[(int) (samples.length * 0.99)]).isBetween(340L, 470L);
        assertThat(Arrays.stream(samples).min().orElseThrow()).isGreaterThanOrEqualTo(0L);
        assertThat(FaultSettings.NONE.withLatencyMs(7).sampleLatencyMs()).isEqualTo(7);
    }

    @Test
    void faultInjectionIsAtomicAndResettable() {
        FaultInjection f = new FaultInjection()
                .latencyMs(5)
                .errorRate(0.1)
                .throttleRate(0.2)
                .outage(true);
        assertThat(f.get().active()).isTrue();
        assertThatThrownBy(() -> f.apply(new JsonObject("{\"latencyMs\":1,\"errorRate\":2}")))
                .hasMessageContaining("errorRate");
        assertThat(f.get().latencyMs()).as("a rejected patch changes nothing").isEqualTo(5);
        assertThat(f.reset().get()).isEqualTo(FaultSettings.NONE);
    }

    @Test
    void optionsValidateAndReadJson() {
        LocalLambdaOptions o =
                LocalLambdaOptions.fromJson(new JsonObject("{\"port\":0,\"concurrency\":8,\"timeoutMs\":1000}"));
        assertThat(o.concurrency()).isEqualTo(8);
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.dispatcherFunctionName()).isEqualTo("dispatcher");
        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(LocalLambdaOptions.defaults()
                        .withDispatcherFunctionName(null)
                        .dispatcherFunctionName())
                .isNull();
        assertThatThrownBy(() -> LocalLambdaOptions.defaults().withConcurrency(0))
                .hasMessageContaining("concurrency must be in 1..10000");
        assertThatThrownBy(() -> LocalLambdaOptions.fromJson(new JsonObject("{\"prot\":1}")))
                .hasMessageContaining("unknown local lambda option 'prot'");
        assertThat(LocalLambdaMain.parse(new String[] {"--port", "9100", "--concurrency", "3"})
                        .port())
                .isEqualTo(9100);
    }
}
