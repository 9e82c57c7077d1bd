package io.sluice.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Collects every log event of the process while open (root logger), for asserting what a request logs. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    public LogCapture() {
        setContext(root.getLoggerContext());
        start();
        root.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent e) {
        events.add(e);
    }

    public List<ILoggingEvent> events() {
        return List.copyOf(events);
    }

    /** Events at WARN or above, or carrying a throwable (Kafka clients' own connection warnings left out). */
    public List<String> problems() {
        return events.stream()
                .filter(e -> !e.getLoggerName().startsWith("org.apache.kafka"))
                .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)
                        || e.getThrowableProxy() != null)
                .map(e -> e.getLevel() + " " + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null
                                ? ""
                                : " [" + e.getThrowableProxy().getClassName() + "]"))
                .toList();
    }

    /** Events carrying a stack trace. */
    public long withStackTrace() {
        return events.stream().filter(e -> e.getThrowableProxy() != null).count();
    }

    public void clear() {
        events.clear();
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
