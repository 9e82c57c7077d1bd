package io.sluice.loadtest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a field of {@code /proc/<pid>/status} (Linux). */
public final class ProcStatus {
    private ProcStatus() {}

    /**
     * CPU time (user + system) a process has used so far, in seconds, from {@code /proc/<pid>/stat} (clock ticks
     * of 1/100 s); null when the process is gone or this is not Linux.
     *
     * @param pid a process id, or -1 for this process
     */
    public static Double cpuSeconds(long pid) {
        Path stat = Path.of("/proc", pid < 0 ? "self" : Long.toString(pid), "stat");
        try {
            return statCpuSeconds(Files.readString(stat));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * User + system CPU seconds of one line of {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat}
     * (clock ticks of 1/100 s; the name in parentheses may itself hold spaces and parentheses).
     */
    static double statCpuSeconds(String line) {
        String[] f = line.substring(line.lastIndexOf(')') + 2).split(" "); // fields from 3 (state) on
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime (14), stime (15)
    }

    /**
     * A {@code kB} field such as {@code VmHWM} (peak resident set) or {@code VmRSS}, in KiB; null when the
     * process is gone or this is not Linux.
     *
     * @param pid a process id, or -1 for this process
     */
    public static Double kib(long pid, String field) {
        Path status = Path.of("/proc", pid < 0 ? "self" : Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field + ":")) {
                    return (double) Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
