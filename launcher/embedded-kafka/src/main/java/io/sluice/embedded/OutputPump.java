package io.sluice.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Daemon thread copying a child's output, line by line, into a sink (a log file or a buffer) and
 * showing every line to a listener (used to spot the readiness line). Ends at end of stream.
 */
final class OutputPump {

    private final Thread thread;

    private OutputPump(InputStream in, OutputStream sink, Consumer<String> listener, String name) {
        this.thread = new Thread(() -> pump(in, sink, listener), name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts pumping. The sink is flushed after every line and closed at end of stream.
     *
     * @param listener sees every line (without terminator); must be quick
     */
    static OutputPump start(InputStream in, OutputStream sink, Consumer<String> listener, String name) {
        OutputPump pump = new OutputPump(in, sink, listener, name);
        pump.thread.start();
        return pump;
    }

    /** Waits (bounded) for the pump to reach end of stream. */
    void join(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(InputStream in, OutputStream sink, Consumer<String> listener) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                OutputStream out = sink) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
                out.flush();
                listener.accept(line);
            }
        } catch (IOException e) {
            // The child is gone or the sink failed; nothing useful to do on a daemon thread.
        }
    }
}
