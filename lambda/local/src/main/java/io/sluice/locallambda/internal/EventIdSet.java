package io.sluice.locallambda.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A compact set of event ids with each id's first arrival time. Ids are stored as 128-bit MD5 fingerprints
 * (collision odds for 2 million ids are about 10^-26) in open-addressing arrays: 20 bytes per slot, about
 * 84 MB for 2 million ids against ~250 MB for a {@code HashMap<String, Long>}. Not thread-safe.
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
    private long[] hi;
    private long[] lo;
    private int[] arrival;
    private int size;
    private long epochMs = -1;

    public EventIdSet(int initialCapacity) {
        this.initialCapacity = Integer.highestOneBit(Math.max(16, initialCapacity - 1)) << 1;
        allocate(this.initialCapacity);
    }

    private void allocate(int capacity) {
        hi = new long[capacity];
        lo = new long[capacity];
        arrival = new int[capacity];
    }

    /** Adds the id; true when it was not present. {@code arrivalMs} is kept for a new id only. */
    public boolean add(String id, long arrivalMs) {
        long[] fp = fingerprint(id);
        int slot = find(fp[0], fp[1]);
        if (hi[slot] != 0 || lo[slot] != 0) {
            return false;
        }
        if (epochMs < 0) {
            epochMs = arrivalMs;
        }
        hi[slot] = fp[0];
        lo[slot] = fp[1];
        arrival[slot] = (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, arrivalMs - epochMs));
        if (++size > hi.length * MAX_LOAD) {
            grow();
        }
        return true;
    }

    public boolean contains(String id) {
        long[] fp = fingerprint(id);
        int slot = find(fp[0], fp[1]);
        return hi[slot] != 0 || lo[slot] != 0;
    }

    /** First arrival (epoch ms) of the id, or -1 when absent. */
    public long firstArrivalMs(String id) {
        long[] fp = fingerprint(id);
        int slot = find(fp[0], fp[1]);
        return hi[slot] == 0 && lo[slot] == 0 ? -1L : epochMs + arrival[slot];
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
        int mask = hi.length - 1;
        int i = (int) (h ^ (h >>> 32)) & mask;
        while (true) {
            long sh = hi[i];
            long sl = lo[i];
            if ((sh == 0 && sl == 0) || (sh == h && sl == l)) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    private void grow() {
        long[] oh = hi;
        long[] ol = lo;
        int[] oa = arrival;
        allocate(oh.length << 1);
        for (int j = 0; j < oh.length; j++) {
            if (oh[j] != 0 || ol[j] != 0) {
                int slot = find(oh[j], ol[j]);
                hi[slot] = oh[j];
                lo[slot] = ol[j];
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
        return (long) hi.length * 20L;
    }

    @Override
    public String toString() {
        return "EventIdSet{size=" + size + ", capacity=" + hi.length + ", bytes=" + memoryBytes() + "}";
    }
}
