package io.sluice.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segmented append-only log of opaque entries, each with a CRC32C: the durable store of the spool. Not
 * thread-safe and blocking (file I/O): one thread owns it (see {@link Spool}).
 *
 * <p>Layout in {@code directory}: segment files {@code <20-digit id>.seg}, each a run of entries
 * {@code [magic int][length int][crc int][appendedAtMs long][data]} where the CRC32C covers length, time and
 * data; and {@code checkpoint} ({@code "<segment> <position>"}): everything before it is drained. An open
 * never appends to a segment it found: it starts a new one, so a torn tail (crash mid-write) stays where it
 * is and is only ever read. A torn or corrupt entry is detected by its magic, length or CRC, skipped (the
 * reader resynchronises on the next valid entry), counted and logged once per corrupt region.
 *
 * <p>{@link #append} writes without forcing; {@link #sync} forces what was written to the storage device.
 * The quota counts the bytes of every live segment file (the drained head of the first one too, until the
 * segment is deleted).
 */
public final class SegmentLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);
    static final int MAGIC = 0x53504c31; // "SPL1"
    static final int HEADER = 4 + 4 + 4 + 8;
    /** The largest entry the reader believes: a length above it is corruption. */
    public static final int MAX_ENTRY_BYTES = 16 * 1024 * 1024;

    private static final String SUFFIX = ".seg";

    /** Where an entry ends: the drain position after it. */
    public record Position(long segment, long offset) implements Comparable<Position> {
        @Override
        public int compareTo(Position o) {
            return segment != o.segment ? Long.compare(segment, o.segment) : Long.compare(offset, o.offset);
        }
    }

    /** One entry read back: its data, when it was appended, and the position just after it. */
    public record Entry(byte[] data, long appendedAtMs, Position end) {}

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final TreeMap<Long, Long> segments = new TreeMap<>(); // id -> size in bytes
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer wbuf = ByteBuffer.allocate(1 << 20);
    private FileChannel writer;
    private long writeId;
    private boolean dirty;
    private Position committed;
    private Position readCursor;
    private FileChannel reader;
    private long readerId = -1;
    private long pendingEntries;
    private long corruptRegions;
    private long corruptBytes;
    private long oldestAppendedAtMs;
    private Position scanned = new Position(0, 0); // corrupt regions before it were counted

    private SegmentLog(Path dir, long maxBytes, long segmentBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
    }

    /**
     * Opens (or creates) the log in {@code dir}, reads the checkpoint, deletes drained segments, counts the
     * pending entries (skipping corrupt ones) and starts a new segment for appends.
     *
     * @param maxBytes     quota over all live segment files
     * @param segmentBytes a segment is closed once it holds this many bytes (an entry never spans two)
     */
    public static SegmentLog open(Path dir, long maxBytes, long segmentBytes) {
        SegmentLog log = new SegmentLog(dir, maxBytes, segmentBytes);
        try {
            log.recover();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the spool in " + dir, e);
        }
        return log;
    }

    private void recover() throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(SUFFIX)) {
                    segments.put(Long.parseLong(n.substring(0, n.length() - SUFFIX.length())), Files.size(p));
                }
            }
        }
        committed = readCheckpoint();
        for (Long id : new ArrayList<>(segments.headMap(committed.segment()).keySet())) {
            delete(id);
        }
        if (!segments.isEmpty() && segments.firstKey() > committed.segment()) {
            committed = new Position(segments.firstKey(), 0);
        }
        readCursor = committed;
        long corruptBefore = corruptRegions;
        forEachPending(e -> {
            pendingEntries++;
            if (oldestAppendedAtMs == 0) {
                oldestAppendedAtMs = e.appendedAtMs();
            }
        });
        readCursor = committed;
        closeReader();
        writeId = segments.isEmpty() ? committed.segment() + 1 : segments.lastKey() + 1;
        openWriter();
        LOG.info(
                "Spool {} opened: {} pending entr(y/ies) in {} segment(s), {} bytes, {} corrupt region(s) skipped",
                dir,
                pendingEntries,
                segments.size() - 1,
                bytes(),
                corruptRegions - corruptBefore);
    }

    private Position readCheckpoint() throws IOException {
        Path cp = dir.resolve("checkpoint");
        if (!Files.exists(cp)) {
            return new Position(segments.isEmpty() ? 1 : segments.firstKey(), 0);
        }
        String[] parts = Files.readString(cp).trim().split(" ");
        try {
            return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (RuntimeException e) {
            LOG.warn(
                    "Spool checkpoint {} is unreadable ({}); draining from the first segment (duplicates possible)",
                    cp,
                    e.toString());
            return new Position(segments.isEmpty() ? 1 : segments.firstKey(), 0);
        }
    }

    private void openWriter() throws IOException {
        writer = FileChannel.open(
                segmentPath(writeId), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        segments.put(writeId, writer.size());
    }

    private Path segmentPath(long id) {
        return dir.resolve(String.format("%020d%s", id, SUFFIX));
    }

    /** The bytes of every live segment file (what the quota counts). */
    public long bytes() {
        long sum = 0;
        for (long s : segments.values()) {
            sum += s;
        }
        return sum;
    }

    /** Entries appended (or found at open) and not yet committed as drained. */
    public long pendingEntries() {
        return pendingEntries;
    }

    /** Corrupt regions (torn or damaged entries) skipped since open, each counted once. */
    public long corruptRegions() {
        return corruptRegions;
    }

    /** Bytes those regions spanned. */
    public long corruptBytes() {
        return corruptBytes;
    }

    /** When the oldest pending entry was appended (epoch ms), or 0 when none is pending. */
    public long oldestAppendedAtMs() {
        return pendingEntries == 0 ? 0 : oldestAppendedAtMs;
    }

    /** Whether {@code entries} fit the quota now. */
    public boolean fits(List<byte[]> entries) {
        long need = 0;
        for (byte[] e : entries) {
            need += HEADER + e.length;
        }
        return bytes() + need <= maxBytes;
    }

    /**
     * Writes {@code entries} in order (not forced: see {@link #sync}); all or none.
     *
     * @return false (and nothing written) when they do not fit the quota
     */
    public boolean append(List<byte[]> entries, long nowMs) {
        if (!fits(entries)) {
            return false;
        }
        for (byte[] data : entries) {
            if (data.length > MAX_ENTRY_BYTES) {
                throw new IllegalArgumentException(
                        "a spool entry is limited to " + MAX_ENTRY_BYTES + " bytes, got " + data.length);
            }
        }
        try {
            for (byte[] data : entries) {
                int len = HEADER + data.length;
                long at = segments.get(writeId);
                if (at > 0 && at + len > segmentBytes) {
                    roll();
                    at = 0;
                }
                if (wbuf.remaining() < len) {
                    flushWrites();
                }
                int sum = checksum(data.length, nowMs, data, 0, data.length);
                if (wbuf.remaining() < len) { // larger than the buffer: straight to the file
                    ByteBuffer one = ByteBuffer.allocate(len);
                    one.putInt(MAGIC)
                            .putInt(data.length)
                            .putInt(sum)
                            .putLong(nowMs)
                            .put(data)
                            .flip();
                    while (one.hasRemaining()) {
                        writer.write(one);
                    }
                } else {
                    wbuf.putInt(MAGIC)
                            .putInt(data.length)
                            .putInt(sum)
                            .putLong(nowMs)
                            .put(data);
                }
                segments.put(writeId, at + len);
            }
            if (pendingEntries == 0) {
                oldestAppendedAtMs = nowMs;
            }
            pendingEntries += entries.size();
            dirty = true;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("spool append failed in " + dir, e);
        }
    }

    /** Hands the buffered appends to the file (page cache); {@link #sync} forces them. */
    private void flushWrites() throws IOException {
        if (wbuf.position() == 0) {
            return;
        }
        wbuf.flip();
        while (wbuf.hasRemaining()) {
            writer.write(wbuf);
        }
        wbuf.clear();
    }

    private void roll() throws IOException {
        flushWrites();
        writer.force(false);
        writer.close();
        writeId++;
        openWriter();
    }

    /** Forces everything appended so far to the storage device (no-op when nothing was appended since). */
    public void sync() {
        if (!dirty) {
            return;
        }
        try {
            flushWrites();
            writer.force(false);
            dirty = false;
        } catch (IOException e) {
            throw new UncheckedIOException("spool fsync failed in " + dir, e);
        }
    }

    /**
     * Reads up to {@code maxEntries} entries (and about {@code maxBytes}) from the read cursor on, oldest first,
     * skipping corrupt regions; advances the cursor past them. Empty when everything appended was read.
     */
    public List<Entry> read(int maxEntries, long maxBytes) {
        List<Entry> out = new ArrayList<>();
        long[] bytes = {0};
        try {
            flushWrites();
            readInto(maxEntries, maxBytes, e -> {
                out.add(e);
                bytes[0] += e.data().length;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("spool read failed in " + dir, e);
        }
        return out;
    }

    private void forEachPending(Consumer<Entry> each) throws IOException {
        readInto(Integer.MAX_VALUE, Long.MAX_VALUE, each);
    }

    private void readInto(int maxEntries, long maxBytes, Consumer<Entry> each) throws IOException {
        int n = 0;
        long b = 0;
        while (n < maxEntries && b < maxBytes) {
            Long size = segments.get(readCursor.segment());
            if (size == null || readCursor.offset() >= size) {
                Long next = segments.higherKey(readCursor.segment());
                if (next == null) {
                    return;
                }
                readCursor = new Position(next, 0);
                continue;
            }
            Entry e = readAt(readCursor.segment(), readCursor.offset(), size);
            readCursor = e.end();
            if (e.data() != null) {
                each.accept(e);
                n++;
                b += e.data().length;
            }
        }
    }

    /** The entry at {@code offset}, or (data null) the end of the corrupt region starting there. */
    private Entry readAt(long segment, long offset, long size) throws IOException {
        FileChannel ch = reader(segment);
        Entry e = tryEntry(ch, segment, offset, size);
        if (e != null) {
            return e;
        }
        long p = offset + 1;
        while (p + HEADER <= size) {
            if ((e = tryEntry(ch, segment, p, size)) != null) {
                break;
            }
            p++;
        }
        long end = e == null ? size : p;
        Position region = new Position(segment, offset);
        if (region.compareTo(scanned) < 0) { // already counted and logged (at open, or before a rewind)
            return new Entry(null, 0, new Position(segment, end));
        }
        scanned = new Position(segment, end);
        corruptRegions++;
        corruptBytes += end - offset;
        LOG.warn(
                "Spool segment {} has a corrupt or torn entry at byte {}: {} byte(s) skipped ({} corrupt region(s) so far)",
                segmentPath(segment).getFileName(),
                offset,
                end - offset,
                corruptRegions);
        return new Entry(null, 0, new Position(segment, end));
    }

    private Entry tryEntry(FileChannel ch, long segment, long offset, long size) throws IOException {
        if (offset + HEADER > size) {
            return null;
        }
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        readFully(ch, h, offset);
        h.flip();
        int magic = h.getInt();
        int len = h.getInt();
        int sum = h.getInt();
        long at = h.getLong();
        if (magic != MAGIC || len < 0 || len > MAX_ENTRY_BYTES || offset + HEADER + len > size) {
            return null;
        }
        ByteBuffer d = ByteBuffer.allocate(len);
        readFully(ch, d, offset + HEADER);
        byte[] data = d.array();
        if (checksum(len, at, data, 0, len) != sum) {
            return null;
        }
        return new Entry(data, at, new Position(segment, offset + HEADER + len));
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        long p = at;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, p);
            if (r < 0) {
                throw new IOException("unexpected end of spool segment at " + p);
            }
            p += r;
        }
    }

    private FileChannel reader(long segment) throws IOException {
        if (readerId != segment) {
            closeReader();
            reader = FileChannel.open(segmentPath(segment), StandardOpenOption.READ);
            readerId = segment;
        }
        return reader;
    }

    private void closeReader() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
            readerId = -1;
        }
    }

    private int checksum(int len, long at, byte[] data, int off, int n) {
        crc.reset();
        ByteBuffer h = ByteBuffer.allocate(12).putInt(len).putLong(at);
        crc.update(h.array(), 0, 12);
        crc.update(data, off, n);
        return (int) crc.getValue();
    }

    /** Moves the read cursor back to the last commit (a drain attempt failed: read those entries again). */
    public void rewind() {
        readCursor = committed;
    }

    /**
     * Marks everything up to {@code end} as drained ({@code drained} entries): writes the checkpoint (not forced: a
     * crash before the next force of the file system may drain some entries twice) and deletes the segments
     * before it, except the one being written.
     */
    public void commit(Position end, int drained) {
        if (end.compareTo(committed) <= 0) {
            return;
        }
        committed = end;
        if (readCursor.compareTo(committed) < 0) {
            readCursor = committed;
        }
        pendingEntries = Math.max(0, pendingEntries - drained);
        try {
            flushWrites();
            Path tmp = dir.resolve("checkpoint.tmp");
            Files.writeString(tmp, end.segment() + " " + end.offset() + "\n");
            Files.move(
                    tmp,
                    dir.resolve("checkpoint"),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            for (Map.Entry<Long, Long> s :
                    new ArrayList<>(segments.headMap(end.segment()).entrySet())) {
                delete(s.getKey());
            }
            if (end.segment() != writeId && end.offset() >= segments.getOrDefault(end.segment(), 0L)) {
                delete(end.segment());
            }
            oldestAppendedAtMs = pendingEntries == 0 ? 0 : peekTime();
        } catch (IOException e) {
            throw new UncheckedIOException("spool commit failed in " + dir, e);
        }
    }

    private long peekTime() throws IOException {
        Position p = committed;
        while (true) {
            Long size = segments.get(p.segment());
            if (size == null || p.offset() >= size) {
                Long next = segments.higherKey(p.segment());
                if (next == null) {
                    return 0;
                }
                p = new Position(next, 0);
                continue;
            }
            Entry e = tryEntry(reader(p.segment()), p.segment(), p.offset(), size);
            return e == null ? System.currentTimeMillis() : e.appendedAtMs();
        }
    }

    private void delete(long id) throws IOException {
        if (id == readerId) {
            closeReader();
        }
        Files.deleteIfExists(segmentPath(id));
        segments.remove(id);
    }

    @Override
    public void close() {
        try {
            closeReader();
            if (writer != null) {
                flushWrites();
                writer.force(false);
                writer.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("spool close failed in " + dir, e);
        }
    }
}
