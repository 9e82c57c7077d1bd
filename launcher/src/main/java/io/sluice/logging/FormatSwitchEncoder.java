package io.sluice.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.util.Locale;

/**
 * The one log-format switch (logback.xml): {@code format} {@code text} (the {@code pattern}) or {@code json}
 * ({@link JsonLineEncoder}). Another value prints one line to standard error naming it and falls back to text, so a
 * typo never silences the logs.
 */
public final class FormatSwitchEncoder extends EncoderBase<ILoggingEvent> {
    public static final String TEXT = "text";
    public static final String JSON = "json";

    private String format = TEXT;
    private String pattern = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";
    private Encoder<ILoggingEvent> delegate;

    public void setFormat(String format) {
        this.format = format;
    }

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    /** The format in use once started: {@code text} or {@code json}. */
    public String format() {
        return delegate instanceof JsonLineEncoder ? JSON : TEXT;
    }

    @Override
    public void start() {
        String f = format == null ? TEXT : format.trim().toLowerCase(Locale.ROOT);
        if (JSON.equals(f)) {
            delegate = new JsonLineEncoder();
        } else {
            if (!TEXT.equals(f)) {
                System.err.println("sluice: SLUICE_LOG_FORMAT (or -Dsluice.log.format) must be text or json, got '"
                        + format + "'; logging as text");
            }
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setContext(getContext());
            text.setPattern(pattern);
            delegate = text;
        }
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }
}
