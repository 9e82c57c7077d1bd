package io.sluice.launcher;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test configurations derived from the shipped {@code conf/local.json}, so tests exercise what users run. */
public final class TestConfigs {
    private TestConfigs() {}

    static Path confDir() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("conf"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "conf/ not found above " + Path.of("").toAbsolutePath());
        }
        return p.resolve("conf");
    }

    /** conf/local.json with the status line off and free ports (tests may run beside a local run). */
    public static JsonObject local() {
        try {
            JsonObject c = new JsonObject(Files.readString(confDir().resolve("local.json")));
            c.getJsonObject("status").put("intervalMs", 0);
            for (String server : new String[] {"admin", "ingest"}) {
                if (c.getJsonObject(server) != null) {
                    c.getJsonObject(server).put("port", 0);
                }
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
