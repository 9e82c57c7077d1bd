package io.sluice.loadtest.report;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples this JVM's used heap every 100 ms (peak kept) and reads its peak resident set size
 * ({@code VmHWM} of {@code /proc/self/status}, Linux only; null elsewhere).
 */
public final class ResourceSampler implements AutoCloseable {
    private final AtomicLong peakHeap = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private ResourceSampler() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        thread = new Thread(
                () -> {
                    while (running) {
                        peakHeap.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                        try {
                            Thread.sleep(100); // a sampling thread of its own, never an event loop
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "loadtest-resource-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    public static ResourceSampler start() {
        return new ResourceSampler();
    }

    public Double peakHeapMb() {
        return Report.round(peakHeap.get() / (1024.0 * 1024.0), 1);
    }

    /** Peak RSS of this process in MiB, or null when {@code /proc/self/status} is not readable. */
    public Double peakRssMb() {
        Double kib = io.sluice.loadtest.run.ProcStatus.kib(-1, "VmHWM");
        return kib == null ? null : Report.round(kib / 1024.0, 1);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
