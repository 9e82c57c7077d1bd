package io.sluice.http;

import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One line per client error, never a stack trace, at most {@code perWindow} lines per window; the lines
 * left out are counted and reported on the next line that is written. Thread-safe.
 */
public final class ClientErrorLog {
    private final Logger log;
    private final int perWindow;
    private final long windowMs;
    private final LongSupplier clock;
    private long windowStart;
    private int written;
    private long suppressed;

    public ClientErrorLog(Logger log, int perWindow, long windowMs, LongSupplier clock) {
        this.log = log;
        this.perWindow = perWindow;
        this.windowMs = windowMs;
        this.clock = clock;
        this.windowStart = clock.getAsLong();
    }

    /** 10 lines per 10 s on the wall clock. */
    public static ClientErrorLog of(Logger log) {
        return new ClientErrorLog(log, 10, 10_000, System::currentTimeMillis);
    }

    /** Logs {@code message} at INFO when the budget allows (never with a throwable). */
    public synchronized boolean info(String message) {
        long now = clock.getAsLong();
        if (now - windowStart >= windowMs) {
            windowStart = now;
            written = 0;
        }
        if (written >= perWindow) {
            suppressed++;
            return false;
        }
        written++;
        if (suppressed > 0) {
            log.info("{} ({} similar line(s) left out)", message, suppressed);
            suppressed = 0;
        } else {
            log.info(message);
        }
        return true;
    }

    /** One line naming a throwable by class and message, no stack trace. */
    public static String describe(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        String m = t.getMessage();
        if (m != null && m.length() > 200) {
            m = m.substring(0, 200) + "...";
        }
        return t.getClass().getSimpleName()
                + (m == null ? "" : ": " + m.replace('\n', ' ').replace('\r', ' '));
    }
}
