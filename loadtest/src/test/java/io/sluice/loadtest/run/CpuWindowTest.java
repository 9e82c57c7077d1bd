package io.sluice.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
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
    void theWindowIsAlsoReportedSliceBySlice() {
        var s0 = new CpuWindow.Snapshot(Map.of("sluice", 10.0), Map.of("jit", 1.0));
        var s1 = new CpuWindow.Snapshot(Map.of("sluice", 13.0), Map.of("jit", 2.0));
        var s2 = new CpuWindow.Snapshot(Map.of("sluice", 14.0), Map.of("jit", 2.1));
        JsonArray slices = CpuWindow.slices(List.of(
                new CpuWindow.Mark(0, s0, 100),
                new CpuWindow.Mark(30, s1, 1_000_100),
                new CpuWindow.Mark(60, s2, 2_000_100)));
        assertThat(slices.size()).isEqualTo(2);
        JsonObject first = slices.getJsonObject(0);
        JsonObject second = slices.getJsonObject(1);
        assertThat(first.getInteger("fromSecond")).isZero();
        assertThat(first.getInteger("toSecond")).isEqualTo(30);
        assertThat(first.getLong("events")).isEqualTo(1_000_000);
        assertThat(first.getJsonObject("microsPerEvent").getDouble("sluice")).isEqualTo(3.0);
        assertThat(first.getJsonObject("sluiceThreadsMicrosPerEvent").getDouble("jit"))
                .isEqualTo(1.0);
        assertThat(second.getInteger("fromSecond")).isEqualTo(30);
        assertThat(second.getJsonObject("microsPerEvent").getDouble("sluice")).isEqualTo(1.0);
        assertThat(second.getJsonObject("sluiceThreadsMicrosPerEvent").getDouble("jit"))
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
