package io.sluice.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The distribution's {@code kafka-lib/} beside the jar: its jars, in name order, nothing else. */
@Timeout(30)
class BrokerLibDirTest {

    @Test
    void theJarsOfTheDirectoryAreTheClassPathAndAMissingDirectoryIsNone(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve(BrokerClasspath.LIB_DIR));
        Files.writeString(lib.resolve("kafka_2.13-4.1.1.jar"), "");
        Files.writeString(lib.resolve("b-other.jar"), "");
        Files.writeString(lib.resolve("README.txt"), "");
        assertEquals(
                List.of(lib.resolve("b-other.jar"), lib.resolve("kafka_2.13-4.1.1.jar")), BrokerClasspath.jarsIn(lib));
        assertTrue(BrokerClasspath.jarsIn(dir.resolve("absent")).isEmpty());
    }
}
