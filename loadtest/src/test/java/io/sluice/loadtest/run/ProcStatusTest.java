package io.sluice.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ProcStatusTest {

    @Test
    void readsThisProcessesCpuTimeAndPeakResidentSet() {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "Linux /proc only");
        long x = 0;
        for (int i = 0; i < 50_000_000; i++) { // burn a little CPU so the counter has moved
            x += i % 7;
        }
        assertThat(x).isPositive();
        assertThat(ProcStatus.cpuSeconds(-1)).isNotNull().isPositive();
        assertThat(ProcStatus.kib(-1, "VmHWM")).isNotNull().isGreaterThan(1024.0);
        assertThat(ProcStatus.cpuSeconds(Long.MAX_VALUE)).isNull();
        assertThat(ProcStatus.kib(-1, "NoSuchField")).isNull();
    }
}
