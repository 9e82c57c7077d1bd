package io.sluice.batch;

/** The key hash that picks a record's lane in key ordering. */
final class LaneHash {
    private LaneHash() {
    }

    /** MurmurHash3 x86 32-bit of the key bytes: stable across JVMs and runs. */
    static int murmur3(byte[] data) {
        int h = 0x9747b28c;
        int len = data.length;
        int i = 0;
        while (i + 4 <= len) {
            int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
            k *= 0xcc9e2d51;
            k = Integer.rotateLeft(k, 15);
            k *= 0x1b873593;
            h ^= k;
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
                k *= 0xcc9e2d51;
                k = Integer.rotateLeft(k, 15);
                k *= 0x1b873593;
                h ^= k;
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
}
