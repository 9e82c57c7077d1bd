package io.sluice.loadtest.run;

import io.sluice.loadtest.report.Report;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU used over the measured load window only (start-up, warm-up and drain excluded): per process from
 * {@code /proc/<pid>/stat} and, for Sluice, per thread group from {@code /proc/<pid>/task/<tid>/stat}, read at
 * the window's start and end. A thread that ended inside the window is not counted (its time is lost with
 * it); one that started inside it counts from zero.
 */
public final class CpuWindow {

    /** CPU seconds per process role and per Sluice thread group at one instant. */
    public record Snapshot(Map<String, Double> processes, Map<String, Double> sluiceThreads) {}

    /** The load window is also reported in slices of this many seconds ({@code cpu.window.slices}). */
    public static final int SLICE_SECONDS = 30;

    /** A snapshot taken {@code second} seconds into the load, when Kafka had acknowledged {@code acked} events. */
    public record Mark(int second, Snapshot snapshot, long acked) {}

    private CpuWindow() {}

    /**
     * The window slice by slice (consecutive marks): from and to (seconds into the load), the events acknowledged in
     * it, microseconds per event per process role and per Sluice thread group. The JIT's share falls slice by slice
     * as the code that runs only per poll or per invocation is compiled; the last slices are the closest to the
     * process's steady state.
     */
    public static JsonArray slices(List<Mark> marks) {
        JsonArray out = new JsonArray();
        for (int i = 1; i < marks.size(); i++) {
            Mark a = marks.get(i - 1);
            Mark b = marks.get(i);
            JsonObject w = between(a.snapshot(), b.snapshot(), b.acked() - a.acked(), b.second() - a.second());
            out.add(new JsonObject()
                    .put("fromSecond", a.second())
                    .put("toSecond", b.second())
                    .put("events", b.acked() - a.acked())
                    .put("microsPerEvent", w.getJsonObject("microsPerEvent"))
                    .put("sluiceThreadsMicrosPerEvent", w.getJsonObject("sluiceThreadsMicrosPerEvent")));
        }
        return out;
    }

    /**
     * @param sluicePids the running Sluice processes
     * @param brokerPids the running brokers
     */
    public static Snapshot take(long[] sluicePids, long[] brokerPids) {
        Map<String, Double> p = new TreeMap<>();
        Map<String, Double> threads = new TreeMap<>();
        double sluice = 0;
        for (long pid : sluicePids) {
            Double s = ProcStatus.cpuSeconds(pid);
            sluice += s == null ? 0 : s;
            threadGroups(pid, threads);
        }
        double brokers = 0;
        for (long pid : brokerPids) {
            Double s = ProcStatus.cpuSeconds(pid);
            brokers += s == null ? 0 : s;
        }
        Double runner = ProcStatus.cpuSeconds(-1);
        p.put("sluice", sluice);
        p.put("brokers", brokers);
        p.put("runner", runner == null ? 0 : runner);
        return new Snapshot(p, threads);
    }

    /**
     * The window between two snapshots as report JSON: seconds and microseconds per event for each process
     * role, and for Sluice per thread group.
     *
     * @param events events acknowledged by Kafka inside the window
     */
    public static JsonObject between(Snapshot start, Snapshot end, long events, double windowSeconds) {
        JsonObject seconds = new JsonObject();
        JsonObject perEvent = new JsonObject();
        end.processes().forEach((role, s) -> {
            double d = s - start.processes().getOrDefault(role, 0.0);
            seconds.put(role, Report.round(d, 2));
            perEvent.put(role, events <= 0 ? null : Report.round(d * 1e6 / events, 2));
        });
        JsonObject threads = new JsonObject();
        end.sluiceThreads().forEach((group, s) -> {
            double d = s - start.sluiceThreads().getOrDefault(group, 0.0);
            threads.put(group, events <= 0 ? null : Report.round(d * 1e6 / events, 2));
        });
        return new JsonObject()
                .put("seconds", Report.round(windowSeconds, 1))
                .put("events", events)
                .put("cpuSeconds", seconds)
                .put("microsPerEvent", perEvent)
                .put("sluiceThreadsMicrosPerEvent", threads)
                .put(
                        "note",
                        "CPU time (user + system) over the measured load window only (after the warm-up, until "
                                + "the input stopped); per event = over the events acknowledged inside the window; Sluice "
                                + "threads grouped by name (threads that ended inside the window are not counted)");
    }

    /** Adds each thread's CPU seconds of process {@code pid} to its group in {@code into}. */
    static void threadGroups(long pid, Map<String, Double> into) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> list = Files.list(tasks)) {
            list.forEach(t -> {
                try {
                    String line = Files.readString(t.resolve("stat"));
                    String comm = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
                    into.merge(group(comm), ProcStatus.statCpuSeconds(line), Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended between list and read
                }
            });
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The thread group of a thread name as the kernel keeps it (its first 15 characters). */
    static String group(String comm) {
        if (comm.startsWith("sluice-consumer")) {
            return "poll";
        }
        if (comm.startsWith("vert.x-eventloo") || comm.startsWith("vert.x-acceptor")) {
            return "eventLoops";
        }
        if (comm.startsWith("vert.x-worker") || comm.startsWith("vert.x-internal")) {
            return "workers";
        }
        if (comm.startsWith("kafka-")
                || comm.startsWith("sluice-dlq")
                || comm.startsWith("sluice-admin")
                || comm.startsWith("sluice-lag")) {
            return "kafkaIo";
        }
        if (comm.startsWith("sluice-lambda") || comm.startsWith("sdk-") || comm.startsWith("aws-")) {
            return "lambdaIo";
        }
        if (comm.startsWith("GC Thread")
                || comm.startsWith("G1 ")
                || comm.startsWith("VM Periodic")
                || comm.equals("VM Thread")) {
            return "gcAndVm";
        }
        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            return "jit";
        }
        return "other:" + comm.replaceAll("[^A-Za-z.-]", "");
    }
}
