package io.sluice.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CpuWindowTest {

    @Test
    void threadNamesAsTheKernelKeepsThemFallIntoTheirGroups() {
        assertThat(CpuWindow.group("sluice-consumer")).isEqualTo("poll");
        assertThat(CpuWindow.group("vert.x-eventloo")).isEqualTo("eventLoops");
        assertThat(CpuWindow.group("vert.x-worker-t")).isEqualTo("workers");
        assertThat(CpuWindow.group("kafka-producer-")).isEqualTo("kafkaIo");
        assertThat(CpuWindow.group("sluice-lambda-n")).isEqualTo("lambdaIo");
        assertThat(CpuWindow.group("GC Thread#1")).isEqualTo("gcAndVm");
        assertThat(CpuWindow.group("C2 CompilerThre")).isEqualTo("jit");
        assertThat(CpuWindow.group("Thread-12")).isEqualTo("other:Thread-");
    }

    @Test
    void theWindowIsTheDifferenceOfTwoSnapshotsPerEvent() {
        var start = new CpuWindow.Snapshot(Map.of("sluice", 10.0, "brokers", 5.0, "runner", 2.0), Map.of("poll", 1.0));
        var end = new CpuWindow.Snapshot(
                Map.of("sluice", 12.0, "brokers", 6.0, "runner", 6.0), Map.of("poll", 1.5, "jit", 0.1));
        JsonObject w = CpuWindow.between(start, end, 1_000_000, 60);
        assertThat(w.getJsonObject("microsPerEvent").getDouble("sluice")).isEqualTo(2.0);
        assertThat(w.getJsonObject("microsPerEvent").getDouble("runner")).isEqualTo(4.0);
        assertThat(w.getJsonObject("sluiceThreadsMicrosPerEvent").getDouble("poll"))
                .isEqualTo(0.5);
        assertThat(w.getJsonObject("sluiceThreadsMicrosPerEvent").getDouble("jit"))
                .isEqualTo(0.1);
    }

    @Test
    void thisProcessesThreadsAreRead() {
        Map<String, Double> groups = new HashMap<>();
        CpuWindow.threadGroups(ProcessHandle.current().pid(), groups);
        assertThat(groups).isNotEmpty();
        assertThat(groups.values()).allMatch(v -> v >= 0);
    }
}
