package io.sluice.locallambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.lambda.RecordId;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaultSettingsTest {

  @Test
  void mergeReplacesOnlyGivenFieldsAndNullResets() {
    FaultSettings s = FaultSettings.NONE.merge(new JsonObject("{\"latencyMs\":20,\"errorRate\":0.5,"
        + "\"failOffsets\":[{\"topic-partition\":\"t-0\",\"offset\":\"15\"},{\"topic-partition\":\"t-1\",\"offset\":3}]}"));
    s = s.merge(new JsonObject("{\"throttleRate\":0.25,\"outage\":true,\"outageMode\":\"closeConnection\"}"));

    assertThat(s.latencyMs()).isEqualTo(20);
    assertThat(s.errorRate()).isEqualTo(0.5);
    assertThat(s.throttleRate()).isEqualTo(0.25);
    assertThat(s.outage()).isTrue();
    assertThat(s.outageMode()).isEqualTo(FaultSettings.OutageMode.CLOSE_CONNECTION);
    assertThat(s.failOffsets()).containsExactlyInAnyOrder(new RecordId("t-0", 15), new RecordId("t-1", 3));
    assertThat(s.toJson().getJsonArray("failOffsets").getJsonObject(0).getValue("offset")).isEqualTo(15L);

    FaultSettings cleared = s.merge(new JsonObject("{\"errorRate\":null,\"failOffsets\":null}"));
    assertThat(cleared.errorRate()).isZero();
    assertThat(cleared.failOffsets()).isEmpty();
    assertThat(cleared.latencyMs()).isEqualTo(20);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"errorRate\":1.5}|errorRate must be in 0..1",
      "{\"throttleRate\":-0.1}|throttleRate must be in 0..1",
      "{\"throttleRate\":\"high\"}|throttleRate must be a number in 0..1",
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
  void logNormalLatencyHitsTheConfiguredMedianAndP99() {
    FaultSettings s = FaultSettings.NONE.withLatencyDistribution(50L, 400L);
    long[] samples = LongStream.range(0, 40_000).map(i -> s.sampleLatencyMs()).sorted().toArray();

    assertThat(samples[samples.length / 2]).isBetween(45L, 55L);
    assertThat(samples[(int) (samples.length * 0.99)]).isBetween(340L, 470L);
    assertThat(Arrays.stream(samples).min().orElseThrow()).isGreaterThanOrEqualTo(0L);
    assertThat(FaultSettings.NONE.withLatencyMs(7).sampleLatencyMs()).isEqualTo(7);
  }

  @Test
  void faultInjectionIsAtomicAndResettable() {
    FaultInjection f = new FaultInjection().latencyMs(5).errorRate(0.1).throttleRate(0.2).outage(true);
    assertThat(f.get().active()).isTrue();
    assertThatThrownBy(() -> f.apply(new JsonObject("{\"latencyMs\":1,\"errorRate\":2}")))
        .hasMessageContaining("errorRate");
    assertThat(f.get().latencyMs()).as("a rejected patch changes nothing").isEqualTo(5);
    assertThat(f.reset().get()).isEqualTo(FaultSettings.NONE);
  }

  @Test
  void optionsValidateAndReadJson() {
    LocalLambdaOptions o = LocalLambdaOptions.fromJson(new JsonObject("{\"port\":0,\"concurrency\":8,\"timeoutMs\":1000}"));
    assertThat(o.concurrency()).isEqualTo(8);
    assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.dispatcherFunctionName()).isEqualTo("dispatcher");
    assertThat(o.host()).isEqualTo("127.0.0.1");
    assertThat(LocalLambdaOptions.defaults().withDispatcherFunctionName(null).dispatcherFunctionName()).isNull();
    assertThatThrownBy(() -> LocalLambdaOptions.defaults().withConcurrency(0))
        .hasMessageContaining("concurrency must be in 1..10000");
    assertThatThrownBy(() -> LocalLambdaOptions.fromJson(new JsonObject("{\"prot\":1}")))
        .hasMessageContaining("unknown local lambda option 'prot'");
    assertThat(LocalLambdaMain.parse(new String[] {"--port", "9100", "--concurrency", "3"}).port()).isEqualTo(9100);
  }
}
