package io.sluice.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SpoolTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void concurrentAppendsAreGroupCommittedInOrderAndAnsweredAfterTheirForce() throws Exception {
        for (Spool.Fsync mode : Spool.Fsync.values()) {
            Path d = dir.resolve(mode.name());
            List<CompletableFuture<Boolean>> fs = new ArrayList<>();
            try (Spool spool = Spool.open(new Spool.Options(d, 1 << 24, 1 << 20, mode, 20), "spool-test")) {
                for (int i = 0; i < 1_000; i++) {
                    fs.add(spool.append(List.of(b("e" + i))));
                }
                CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
                assertThat(fs).allSatisfy(f -> assertThat(f.join()).isTrue());
                Spool.Stats st = spool.stats();
                assertThat(st.pendingEntries()).isEqualTo(1_000);
                assertThat(st.syncs())
                        .as(mode + ": one force covers many appends")
                        .isBetween(1L, 999L);
                List<SegmentLog.Entry> all = spool.read(2_000, Long.MAX_VALUE).get(5, TimeUnit.SECONDS);
                for (int i = 0; i < 1_000; i++) {
                    assertThat(new String(all.get(i).data(), StandardCharsets.UTF_8))
                            .isEqualTo("e" + i);
                }
                spool.commit(all.get(999).end(), 1_000).get(5, TimeUnit.SECONDS);
                assertThat(spool.stats().pendingEntries()).isZero();
            }
        }
    }

    @Test
    void anAppendOverTheQuotaIsAnsweredFalse() throws Exception {
        try (Spool spool = Spool.open(new Spool.Options(dir, 100, 1 << 20, Spool.Fsync.BATCH, 0), "spool-test")) {
            assertThat(spool.append(List.of(new byte[50])).get(5, TimeUnit.SECONDS))
                    .isTrue();
            assertThat(spool.append(List.of(new byte[50])).get(5, TimeUnit.SECONDS))
                    .isFalse();
            assertThat(spool.stats().pendingEntries()).isEqualTo(1);
        }
    }
}
