package io.sluice.spool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Chooses the spool's store by measurement (issue 16), not a unit test: run it by hand, e.g.
 * {@code java -cp <test classpath> io.sluice.spool.SpoolBenchmark /tmp/spool-bench 10}.
 *
 * <p>For each store: events of 200 bytes offered at 13,000/s for {@code seconds} (one append per event, from
 * one thread, as the producer hands them over), each answered only once durable; then the same unpaced (the
 * ceiling); then the drain of everything written (read oldest first in chunks of 1,000, commit each chunk).
 * Stores: the segmented append-only file with CRC32C ({@link Spool}) with fsync per batch and per 50 ms
 * interval, and SQLite (WAL, synchronous=FULL, one transaction per group of queued appends, the same group
 * commit).
 */
public final class SpoolBenchmark {
    private static final int RATE = 13_000;
    private static final byte[] EVENT = new byte[200];

    /** A store under test: append one event (completes once durable), drain all. */
    interface Store extends AutoCloseable {
        CompletableFuture<Boolean> append(byte[] e);

        long syncs();

        long drainAll() throws Exception;

        @Override
        void close() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "/tmp/spool-bench");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Arrays.fill(EVENT, (byte) 'x');
        System.out.printf(
                "store, mode, offered/s, appends/s, durable syncs/s, p50 ms, p99 ms, max ms, drain entries/s%n");
        for (String store : List.of("segment-batch", "segment-interval50", "sqlite-wal-full")) {
            for (boolean paced : new boolean[] {true, false}) {
                Path dir = root.resolve(store + (paced ? "-paced" : "-max"));
                deleteTree(dir);
                Files.createDirectories(dir);
                try (Store s = open(store, dir)) {
                    run(store, paced, seconds, s);
                }
            }
        }
    }

    private static Store open(String name, Path dir) throws Exception {
        if (name.startsWith("segment")) {
            Spool.Fsync f = name.endsWith("batch") ? Spool.Fsync.BATCH : Spool.Fsync.INTERVAL;
            Spool spool = Spool.open(new Spool.Options(dir, 8L << 30, 64L << 20, f, 50), "bench-spool");
            return new Store() {
                public CompletableFuture<Boolean> append(byte[] e) {
                    return spool.append(List.of(e));
                }

                public long syncs() {
                    return spool.stats().syncs();
                }

                public long drainAll() throws Exception {
                    long n = 0;
                    while (true) {
                        List<SegmentLog.Entry> es = spool.read(1_000, 1 << 20).get();
                        if (es.isEmpty()) {
                            return n;
                        }
                        spool.commit(es.get(es.size() - 1).end(), es.size()).get();
                        n += es.size();
                    }
                }

                public void close() {
                    spool.close();
                }
            };
        }
        return new SqliteStore(dir.resolve("spool.db"));
    }

    private static void run(String store, boolean paced, int seconds, Store s) throws Exception {
        long total = paced ? (long) RATE * seconds : (long) RATE * seconds * 3;
        long[] lat = new long[(int) total];
        AtomicLong done = new AtomicLong();
        long t0 = System.nanoTime();
        long intervalNs = 1_000_000_000L / RATE;
        for (int i = 0; i < total; i++) {
            if (paced) {
                long due = t0 + i * intervalNs;
                long wait = due - System.nanoTime();
                if (wait > 50_000) {
                    LockSupport.parkNanos(wait);
                }
            }
            long start = System.nanoTime();
            int idx = i;
            s.append(EVENT).whenComplete((ok, err) -> {
                lat[idx] = System.nanoTime() - start;
                done.incrementAndGet();
            });
            if (!paced && i - done.get() > 100_000) { // bounded backlog, as the producer's in-flight bound
                while (i - done.get() > 50_000) {
                    LockSupport.parkNanos(100_000);
                }
            }
        }
        while (done.get() < total) {
            LockSupport.parkNanos(1_000_000);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long syncs = s.syncs();
        long[] sorted = lat.clone();
        Arrays.sort(sorted);
        long d0 = System.nanoTime();
        long drained = s.drainAll();
        double dsecs = (System.nanoTime() - d0) / 1e9;
        System.out.printf(
                "%s, %s, %s, %.0f, %.0f, %.2f, %.2f, %.2f, %.0f%n",
                store,
                paced ? "paced" : "max",
                paced ? Integer.toString(RATE) : "unpaced",
                total / secs,
                syncs / secs,
                sorted[(int) (total * 0.5)] / 1e6,
                sorted[(int) (total * 0.99)] / 1e6,
                sorted[(int) total - 1] / 1e6,
                drained / dsecs);
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p :
                    s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** SQLite with the same group commit as the spool: one writer thread, one transaction per queued group. */
    private static final class SqliteStore implements Store {
        private final Connection c;
        private final ConcurrentLinkedQueue<Object[]> queue = new ConcurrentLinkedQueue<>();
        private final Thread writer;
        private volatile boolean running = true;
        private final AtomicLong commits = new AtomicLong();

        SqliteStore(Path file) throws Exception {
            c = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=FULL");
                st.execute("CREATE TABLE spool (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER, data BLOB)");
            }
            c.setAutoCommit(false);
            writer = new Thread(this::loop, "bench-sqlite");
            writer.setDaemon(true);
            writer.start();
        }

        @SuppressWarnings("unchecked")
        private void loop() {
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO spool (at, data) VALUES (?, ?)")) {
                List<Object[]> group = new ArrayList<>();
                while (running) {
                    Object[] a;
                    while ((a = queue.poll()) != null) {
                        group.add(a);
                    }
                    if (group.isEmpty()) {
                        LockSupport.parkNanos(50_000);
                        continue;
                    }
                    long now = System.currentTimeMillis();
                    for (Object[] g : group) {
                        ins.setLong(1, now);
                        ins.setBytes(2, (byte[]) g[0]);
                        ins.addBatch();
                    }
                    ins.executeBatch();
                    c.commit();
                    commits.incrementAndGet();
                    for (Object[] g : group) {
                        ((CompletableFuture<Boolean>) g[1]).complete(true);
                    }
                    group.clear();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        public CompletableFuture<Boolean> append(byte[] e) {
            CompletableFuture<Boolean> f = new CompletableFuture<>();
            queue.add(new Object[] {e, f});
            return f;
        }

        public long syncs() {
            return commits.get();
        }

        public long drainAll() throws Exception {
            running = false;
            writer.join(TimeUnit.SECONDS.toMillis(10));
            long n = 0;
            try (PreparedStatement sel =
                            c.prepareStatement("SELECT seq, data FROM spool WHERE seq > ? ORDER BY seq LIMIT 1000");
                    PreparedStatement del = c.prepareStatement("DELETE FROM spool WHERE seq <= ?")) {
                long last = 0;
                while (true) {
                    sel.setLong(1, last);
                    int rows = 0;
                    try (ResultSet rs = sel.executeQuery()) {
                        while (rs.next()) {
                            last = rs.getLong(1);
                            rs.getBytes(2);
                            rows++;
                        }
                    }
                    if (rows == 0) {
                        return n;
                    }
                    del.setLong(1, last);
                    del.executeUpdate();
                    c.commit();
                    n += rows;
                }
            }
        }

        public void close() throws Exception {
            running = false;
            c.close();
        }
    }
}
