package io.sluice.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * One flat JSON object per log line: {@code ts} (ISO-8601 UTC), {@code level}, {@code logger}, {@code thread},
 * {@code msg}, then every MDC entry as its own member ({@code trace_id}, {@code span_id}, {@code correlation_id} where
 * Sluice sets them), and {@code error} (the stack trace) when there is one. Selected by
 * {@code SLUICE_LOG_FORMAT=json} (logback.xml); see docs/tracing.md.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final byte[] NONE = new byte[0];
    /** MDC keys written first, in this order. */
    private static final String[] FIRST = {"trace_id", "span_id", "correlation_id"};

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent e) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"ts\":\"").append(Instant.ofEpochMilli(e.getTimeStamp())).append('"');
        field(b, "level", e.getLevel().toString());
        field(b, "logger", e.getLoggerName());
        field(b, "thread", e.getThreadName());
        field(b, "msg", e.getFormattedMessage());
        Map<String, String> mdc = e.getMDCPropertyMap();
        if (mdc != null && !mdc.isEmpty()) {
            for (String k : FIRST) {
                String v = mdc.get(k);
                if (v != null) {
                    field(b, k, v);
                }
            }
            for (Map.Entry<String, String> m : mdc.entrySet()) {
                if (!m.getKey().isEmpty() && !isReserved(m.getKey())) {
                    field(b, m.getKey(), m.getValue());
                }
            }
        }
        IThrowableProxy t = e.getThrowableProxy();
        if (t != null) {
            field(b, "error", ThrowableProxyUtil.asString(t));
        }
        return b.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isReserved(String key) {
        return switch (key) {
            case "ts", "level", "logger", "thread", "msg", "error", "trace_id", "span_id", "correlation_id" -> true;
            default -> false;
        };
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(",\"");
        escape(b, name);
        b.append("\":");
        if (value == null) {
            b.append("null");
            return;
        }
        b.append('"');
        escape(b, value);
        b.append('"');
    }

    /** JSON string escapes: quote, backslash and control characters. */
    static void escape(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }
}
