package io.sluice.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reads a child process's output, line by line, into a list on a daemon thread (for tests that run the jar). */
public final class OutputPump {
    private OutputPump() {}

    /** Starts the reader; a read error ends it with one line naming {@code who} and the error. */
    public static Thread start(InputStream in, List<String> sink, String who) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            sink.add(line);
                        }
                    } catch (IOException e) {
                        sink.add("[" + who + "] output reader stopped: " + e);
                    }
                },
                "sluice-output-" + who);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
