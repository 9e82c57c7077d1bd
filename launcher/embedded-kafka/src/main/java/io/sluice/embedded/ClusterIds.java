package io.sluice.embedded;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Generates KRaft cluster ids the way Kafka's {@code Uuid.randomUuid().toString()} does (URL-safe
 * base64 without padding of 16 random bytes), without loading any Kafka class and without running
 * {@code kafka-storage random-uuid}, whose logging pollutes its output.
 */
final class ClusterIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterIds() {}

    /** @return a fresh 22-character cluster id */
    static String random() {
        while (true) {
            long msb = RANDOM.nextLong();
            long lsb = RANDOM.nextLong();
            // Kafka reserves ZERO (0,0), ONE (0,1) and the metadata topic id (0,1); it also avoids a
            // leading '-' which command-line parsers mistake for an option.
            if (msb == 0 && (lsb == 0 || lsb == 1)) {
                continue;
            }
            String id = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                            ByteBuffer.allocate(16).putLong(msb).putLong(lsb).array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }
}
