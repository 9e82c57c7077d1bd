package io.sluice.ops.partitions;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Where Kafka's default partitioner puts a key ({@code toPositive(murmur2(key)) mod partitions}) and what going from
 * N to M partitions does to it. Pure logic.
 */
final class KeyPlacement {
    private KeyPlacement() {}

    static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    static boolean moves(String key, int from, int to) {
        return partition(key, from) != partition(key, to);
    }

    /**
     * The share of keys that stay on their partition from N to M, for uniformly spread hashes: a hash stays when
     * {@code h mod N = h mod M}, i.e. {@code h mod lcm(N, M) < min(N, M)}: {@code min(N, M) / lcm(N, M)}
     * (12 → 24: ½; 12 → 18: ⅓; 12 → 13: 1/13).
     */
    static double stayingShare(int from, int to) {
        long lcm = (long) from / gcd(from, to) * to;
        return (double) Math.min(from, to) / lcm;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
