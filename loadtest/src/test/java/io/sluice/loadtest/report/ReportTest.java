package io.sluice.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @Test
    void everyContractKeyIsPresentAndUnmeasuredOnesAreNull(@TempDir Path dir) throws Exception {
        Report r = new Report("producer-baseline", 30)
                .targetRate(13000.0)
                .producedAccepted(10L)
                .baseline(100_000.0, null, 95_000.0)
                .check("a", true, "ok");
        JsonObject j = new JsonObject(Files.readString(r.write(dir)));
        assertThat(j.fieldNames())
                .containsExactly(
                        "scenario",
                        "durationSeconds",
                        "targetRate",
                        "producedAccepted",
                        "deliveredUnique",
                        "duplicates",
                        "downstreamDuplicates",
                        "dedupeStoreCallsPerMillion",
                        "inDlq",
                        "lost",
                        "orderViolations",
                        "deliveredPerSecond",
                        "latencyMs",
                        "lambda",
                        "memory",
                        "lagMax",
                        "baseline",
                        "checks",
                        "passed");
        assertThat(j.getJsonObject("latencyMs").fieldNames()).containsExactly("p50", "p95", "p99", "p999", "max");
        assertThat(j.getJsonObject("latencyMs").getValue("p99")).isNull();
        assertThat(j.getJsonObject("lambda").fieldNames()).containsExactly("invocations", "invocationsPerMillion");
        assertThat(j.getJsonObject("memory").fieldNames()).containsExactly("peakHeapMb", "peakRssMb");
        assertThat(j.getJsonObject("lagMax").fieldNames()).containsExactly("records", "seconds");
        assertThat(j.getJsonObject("baseline").fieldNames())
                .containsExactly(
                        "producerPerfRecordsPerSec",
                        "consumerPerfRecordsPerSec",
                        "sluiceProducerRecordsPerSec",
                        "producerRatio");
        assertThat(j.getValue("deliveredUnique")).isNull();
        assertThat(j.getValue("downstreamDuplicates")).isNull();
        assertThat(j.getValue("dedupeStoreCallsPerMillion")).isNull();
        assertThat(j.getValue("targetRate")).isInstanceOf(Number.class);
        assertThat(j.getJsonObject("baseline").getDouble("producerRatio")).isEqualTo(0.95);
        assertThat(j.getJsonObject("baseline").getValue("consumerPerfRecordsPerSec"))
                .isNull();
        assertThat(j.getBoolean("passed")).isTrue();
        assertThat(j.getJsonArray("checks").getJsonObject(0).fieldNames()).containsExactly("name", "passed", "detail");
    }

    @Test
    void passedNeedsAtLeastOneCheckAndAllPassing() {
        assertThat(new Report("s", 1).passed()).isFalse();
        assertThat(new Report("s", 1).check("a", true, "").check("b", false, "").passed())
                .isFalse();
    }

    @Test
    void aTargetCheckCountsAndSaysSoInItsJson() {
        Report r = new Report("s", 1).check("lost = 0", true, "").targetCheck("p99 <= 300 ms", false, "p99 1,211 ms");
        assertThat(r.passed()).as("a target check fails the run it belongs to").isFalse();
        assertThat(r.checks().get(1).target()).isTrue();
        JsonObject plain = r.toJson().getJsonArray("checks").getJsonObject(0);
        JsonObject target = r.toJson().getJsonArray("checks").getJsonObject(1);
        assertThat(plain.fieldNames()).containsExactly("name", "passed", "detail");
        assertThat(target.fieldNames()).containsExactly("name", "passed", "detail", "target");
        assertThat(target.getBoolean("target")).isTrue();
    }

    @Test
    void extraKeysCannotShadowTheContract() {
        Report r = new Report("s", 1).extra("producerAckLatencyMs", new JsonObject().put("p99", 3));
        assertThat(r.toJson().getJsonObject("producerAckLatencyMs").getInteger("p99"))
                .isEqualTo(3);
        assertThatThrownBy(() -> r.extra("latencyMs", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(List.copyOf(r.toJson().fieldNames())).endsWith("producerAckLatencyMs");
    }
}
