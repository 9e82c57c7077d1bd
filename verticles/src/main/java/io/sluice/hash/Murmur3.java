package io.sluice.hash;

/**
 * MurmurHash3 x86 32-bit: stable across JVMs, runs and languages (the same value as Guava's
 * {@code murmur3_32_fixed} or Python's {@code mmh3} for the same seed). Used for key sub-partitioning on the
 * producer side and for key lanes on the consumer side. Pure.
 */
public final class Murmur3 {
    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private Murmur3() {}

    /** The 32-bit hash of {@code data} with {@code seed}. */
    @SuppressWarnings("fallthrough")
    public static int hash32(byte[] data, int seed) {
        int h = seed;
        int len = data.length;
        int i = 0;
        while (i + 4 <= len) {
            int k = (data[i] & 0xff)
                    | (data[i + 1] & 0xff) << 8
                    | (data[i + 2] & 0xff) << 16
                    | (data[i + 3] & 0xff) << 24;
            h ^= mixK(k);
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
            i += 4;
        }
        int k = 0;
        switch (len & 3) {
            case 3:
                k ^= (data[i + 2] & 0xff) << 16;
            // fall through
            case 2:
                k ^= (data[i + 1] & 0xff) << 8;
            // fall through
            case 1:
                k ^= data[i] & 0xff;
                h ^= mixK(k);
                break;
            default:
                break;
        }
        h ^= len;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int mixK(int k) {
        k *= C1;
        k = Integer.rotateLeft(k, 15);
        return k * C2;
    }
}
