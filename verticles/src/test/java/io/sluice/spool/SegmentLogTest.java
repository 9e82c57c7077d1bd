package io.sluice.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SegmentLogTest {
    @TempDir
    Path dir;

    private static List<byte[]> entries(int from, int n) {
        List<byte[]> l = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            l.add(("event-" + i).getBytes(StandardCharsets.UTF_8));
        }
        return l;
    }

    private static List<String> texts(List<SegmentLog.Entry> es) {
        return es.stream()
                .map(e -> new String(e.data(), StandardCharsets.UTF_8))
                .toList();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    @Test
    void appendedEntriesAreReadBackOldestFirstAcrossSegmentsAndCommittedSegmentsAreDeleted() throws IOException {
        try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 200)) {
            assertThat(log.append(entries(0, 20), 1_000)).isTrue();
            log.sync();
            assertThat(log.pendingEntries()).isEqualTo(20);
            assertThat(segments().size()).as("200-byte segments").isGreaterThan(2);
            List<SegmentLog.Entry> first = log.read(5, Long.MAX_VALUE);
            assertThat(texts(first)).containsExactly("event-0", "event-1", "event-2", "event-3", "event-4");
            assertThat(first.get(0).appendedAtMs()).isEqualTo(1_000);
            List<SegmentLog.Entry> rest = log.read(100, Long.MAX_VALUE);
            assertThat(rest).hasSize(15);
            assertThat(log.read(100, Long.MAX_VALUE)).isEmpty();
            int before = segments().size();
            log.commit(rest.get(9).end(), 15);
            assertThat(log.pendingEntries()).isEqualTo(5);
            assertThat(segments().size()).isLessThan(before);
            log.commit(rest.get(14).end(), 5);
            assertThat(log.pendingEntries()).isZero();
            assertThat(log.oldestAppendedAtMs()).isZero();
        }
    }

    @Test
    void appendsOneByOneFillEachSegmentBeforeTheNext() throws IOException {
        long one = SegmentLog.HEADER + "event-0".length();
        try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 4 * one)) {
            for (int i = 0; i < 10; i++) {
                log.append(entries(i, 1), 1);
            }
            log.sync();
            assertThat(segments()).as("10 entries, 4 per segment").hasSize(3);
            assertThat(log.bytes()).isEqualTo(10 * one);
        }
    }

    @Test
    void aRewindReadsTheUncommittedEntriesAgain() {
        try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 1 << 16)) {
            log.append(entries(0, 6), 1);
            List<SegmentLog.Entry> a = log.read(2, Long.MAX_VALUE);
            log.commit(a.get(1).end(), 2);
            log.read(3, Long.MAX_VALUE);
            log.rewind();
            assertThat(texts(log.read(10, Long.MAX_VALUE))).containsExactly("event-2", "event-3", "event-4", "event-5");
        }
    }

    @Test
    void aReopenedLogDrainsFromTheCheckpointAndKeepsAppendingAfterIt() {
        try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 1 << 16)) {
            log.append(entries(0, 10), 5);
            log.sync();
            List<SegmentLog.Entry> a = log.read(4, Long.MAX_VALUE);
            log.commit(a.get(3).end(), 4);
        } // no commit of the rest: a restart must read them again
        try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 1 << 16)) {
            assertThat(log.pendingEntries()).isEqualTo(6);
            assertThat(log.oldestAppendedAtMs()).isEqualTo(5);
            log.append(entries(10, 2), 6);
            assertThat(texts(log.read(100, Long.MAX_VALUE)))
                    .containsExactly(
                            "event-4", "event-5", "event-6", "event-7", "event-8", "event-9", "event-10", "event-11");
        }
    }

    @Test
    void aTornTailAfterACrashIsSkippedCountedAndDoesNotBlockLaterEntries() throws IOException {
        try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 1 << 16)) {
            log.append(entries(0, 5), 1);
            log.sync();
        }
        Path seg = segments().get(0);
        long size = Files.size(seg);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(size - 3); // the crash tore the last entry
        }
        try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 1 << 16)) {
            assertThat(log.corruptRegions()).isEqualTo(1);
            assertThat(log.pendingEntries()).isEqualTo(4);
            log.append(entries(5, 2), 2);
            assertThat(texts(log.read(100, Long.MAX_VALUE)))
                    .containsExactly("event-0", "event-1", "event-2", "event-3", "event-5", "event-6");
        }
    }

    @Test
    void aCorruptEntryInTheMiddleIsSkippedAndTheReaderResynchronisesOnTheNext() throws IOException {
        try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 1 << 16)) {
            log.append(entries(0, 5), 1);
            log.sync();
        }
        Path seg = segments().get(0);
        int entry = SegmentLog.HEADER + "event-0".length();
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(2L * entry + SegmentLog.HEADER + 2); // a byte of event-2's data
            f.write('X');
            f.seek(3L * entry + 5); // event-3's length field
            f.write(0x7f);
        }
        try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 1 << 16)) {
            assertThat(texts(log.read(100, Long.MAX_VALUE))).containsExactly("event-0", "event-1", "event-4");
            assertThat(log.corruptRegions())
                    .as("two adjacent corrupt entries are one region, counted once at open")
                    .isEqualTo(1);
        }
    }

    @Test
    void theQuotaRefusesAWholeAppendAndFreedSpaceIsUsableAgain() {
        long one = SegmentLog.HEADER + "event-0".length();
        try (SegmentLog log = SegmentLog.open(dir, 10 * one, 3 * one)) {
            assertThat(log.append(entries(0, 8), 1)).isTrue();
            assertThat(log.append(entries(8, 3), 1))
                    .as("11 entries over a quota of 10")
                    .isFalse();
            assertThat(log.pendingEntries()).isEqualTo(8);
            assertThat(log.append(entries(8, 2), 1)).isTrue();
            assertThat(log.bytes()).isEqualTo(10 * one);
            List<SegmentLog.Entry> r = log.read(6, Long.MAX_VALUE);
            log.commit(r.get(5).end(), 6); // frees the first two 3-entry segments
            assertThat(log.bytes()).isEqualTo(4 * one);
            assertThat(log.append(entries(10, 6), 1))
                    .as("6 entries of one byte more do not fit")
                    .isFalse();
            assertThat(log.append(entries(10, 5), 1)).isTrue();
            assertThat(texts(log.read(100, Long.MAX_VALUE)))
                    .containsExactly(
                            "event-6",
                            "event-7",
                            "event-8",
                            "event-9",
                            "event-10",
                            "event-11",
                            "event-12",
                            "event-13",
                            "event-14");
        }
    }
}
