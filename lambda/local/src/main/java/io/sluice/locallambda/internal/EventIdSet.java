package io.sluice.locallambda.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A compact set of event ids with each id's first arrival time. Ids are stored as 128-bit MD5 fingerprints
 * (collision odds for 2 million ids are about 10^-26) in open-addressing arrays: 20 bytes per slot, about
 * 84 MB for 2 million ids against ~250 MB for a {@code HashMap<String, Long>}. A fingerprint's two halves sit side
 * by side (one cache line per probe). Growing rehashes every id at once, which stalls the caller for tens of ms at
 * millions of ids: a caller that knows how many ids will come {@linkplain #reserve reserves} them first. Not
 * thread-safe.
 */
public final class EventIdSet {

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    });
    private static final double MAX_LOAD = 0.75;

    private final int initialCapacity;
    private long[] fps; // slot i: hi at 2i, lo at 2i + 1; 0/0 = empty
    private int[] arrival;
    private int size;
    private long epochMs = -1;

    public EventIdSet(int initialCapacity) {
        this.initialCapacity = Integer.highestOneBit(Math.max(16, initialCapacity - 1)) << 1;
        allocate(this.initialCapacity);
    }

    private void allocate(int capacity) {
        fps = new long[2 * capacity];
        arrival = new int[capacity];
    }

    private int capacity() {
        return arrival.length;
    }

    /** Makes room for {@code ids} ids in all (present ones included) so that adding them never grows the set. */
    public void reserve(long ids) {
        long needed = (long) Math.ceil(Math.max(ids, size + 1L) / MAX_LOAD) + 1;
        if (needed > 1 << 29) {
            throw new IllegalArgumentException(
                    "cannot reserve " + ids + " ids (at most " + (long) ((1 << 29) * MAX_LOAD) + ")");
        }
        int capacity = capacity();
        while (capacity < needed) {
            capacity <<= 1;
        }
        if (capacity > capacity()) {
            rehash(capacity);
        }
    }

    /** Adds the id; true when it was not present. {@code arrivalMs} is kept for a new id only. */
    public boolean add(String id, long arrivalMs) {
        long[] fp = fingerprint(id);
        int slot = find(fp[0], fp[1]);
        if (occupied(slot)) {
            return false;
        }
        if (epochMs < 0) {
            epochMs = arrivalMs;
        }
        fps[2 * slot] = fp[0];
        fps[2 * slot + 1] = fp[1];
        arrival[slot] = (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, arrivalMs - epochMs));
        if (++size > capacity() * MAX_LOAD) {
            rehash(capacity() << 1);
        }
        return true;
    }

    public boolean contains(String id) {
        long[] fp = fingerprint(id);
        return occupied(find(fp[0], fp[1]));
    }

    private boolean occupied(int slot) {
        return fps[2 * slot] != 0 || fps[2 * slot + 1] != 0;
    }

    /** First arrival (epoch ms) of the id, or -1 when absent. */
    public long firstArrivalMs(String id) {
        long[] fp = fingerprint(id);
        int slot = find(fp[0], fp[1]);
        return occupied(slot) ? epochMs + arrival[slot] : -1L;
    }

    public int size() {
        return size;
    }

    public void clear() {
        allocate(initialCapacity);
        size = 0;
        epochMs = -1;
    }

    /** Slot holding the fingerprint, or the empty slot where it belongs. */
    private int find(long h, long l) {
        int mask = capacity() - 1;
        int i = (int) (h ^ (h >>> 32)) & mask;
        while (true) {
            long sh = fps[2 * i];
            long sl = fps[2 * i + 1];
            if ((sh == 0 && sl == 0) || (sh == h && sl == l)) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    private void rehash(int capacity) {
        long[] old = fps;
        int[] oa = arrival;
        allocate(capacity);
        for (int j = 0; j < oa.length; j++) {
            long h = old[2 * j];
            long l = old[2 * j + 1];
            if (h != 0 || l != 0) {
                int slot = find(h, l);
                fps[2 * slot] = h;
                fps[2 * slot + 1] = l;
                arrival[slot] = oa[j];
            }
        }
    }

    private static long[] fingerprint(String id) {
        byte[] d = MD5.get().digest(id.getBytes(StandardCharsets.UTF_8));
        long h = 0;
        long l = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (d[i] & 0xff);
            l = (l << 8) | (d[i + 8] & 0xff);
        }
        if (h == 0 && l == 0) {
            l = 1; // 0/0 marks an empty slot
        }
        return new long[] {h, l};
    }

    /** Approximate bytes held by the arrays. */
    public long memoryBytes() {
        return (long) capacity() * 20L;
    }

    @Override
    public String toString() {
        return "EventIdSet{size=" + size + ", capacity=" + capacity() + ", bytes=" + memoryBytes() + "}";
    }
}
