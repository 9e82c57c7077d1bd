package io.sluice.loadtest.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-line description of the machine a report was measured on, and its load average. */
public final class Machine {
    private Machine() {}

    /** E.g. {@code "2 vCPU AMD EPYC 7R13 Processor, 23.4 GiB RAM, Linux 6.1, Java 17.0.15"}. */
    public static String describe() {
        String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name");
        String mem = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        String memText = "";
        if (mem != null) {
            try {
                memText =
                        String.format(", %.1f GiB RAM", Long.parseLong(mem.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0);
            } catch (NumberFormatException e) {
                memText = "";
            }
        }
        return Runtime.getRuntime().availableProcessors() + " vCPU" + (cpu == null ? "" : " " + cpu) + memText + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version");
    }

    /** The 1-minute load average, or -1 where the platform has none. */
    public static double loadAverage() {
        return Report.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2);
    }

    private static String firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    int colon = line.indexOf(':');
                    return colon < 0 ? null : line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
