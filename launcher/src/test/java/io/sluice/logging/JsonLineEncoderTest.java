package io.sluice.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class JsonLineEncoderTest {

    private static LoggingEvent event(String msg, Map<String, String> mdc, Throwable t) {
        LoggerContext ctx = new LoggerContext();
        Logger logger = ctx.getLogger("io.sluice.dispatch.DispatchVerticle");
        LoggingEvent e = new LoggingEvent("x", logger, Level.WARN, msg, t, new Object[0]);
        e.setMDCPropertyMap(mdc);
        e.setThreadName("vert.x-eventloop-thread-1");
        e.setTimeStamp(1_700_000_000_123L);
        return e;
    }

    @Test
    void oneFlatJsonObjectPerLineWithTheMdcAsMembers() {
        JsonLineEncoder enc = new JsonLineEncoder();
        String line = new String(
                enc.encode(event(
                        "pipeline=standard \"quoted\"\nsecond line",
                        Map.of(
                                "trace_id",
                                "4bf92f3577b34da6a3ce929d0e0e4736",
                                "span_id",
                                "00f067aa0ba902b7",
                                "correlation_id",
                                "corr-1",
                                "msg",
                                "ignored"),
                        new IllegalStateException("boom"))),
                StandardCharsets.UTF_8);
        assertThat(line).endsWith("}\n").doesNotContain("\nsecond");
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        JsonObject j = new JsonObject(line);
        assertThat(j.getString("ts")).isEqualTo("2023-11-14T22:13:20.123Z");
        assertThat(j.getString("level")).isEqualTo("WARN");
        assertThat(j.getString("logger")).isEqualTo("io.sluice.dispatch.DispatchVerticle");
        assertThat(j.getString("thread")).isEqualTo("vert.x-eventloop-thread-1");
        assertThat(j.getString("msg")).isEqualTo("pipeline=standard \"quoted\"\nsecond line");
        assertThat(j.getString("trace_id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(j.getString("span_id")).isEqualTo("00f067aa0ba902b7");
        assertThat(j.getString("correlation_id")).isEqualTo("corr-1");
        assertThat(j.getString("error")).startsWith("java.lang.IllegalStateException: boom");
        assertThat(j.fieldNames())
                .containsExactly(
                        "ts", "level", "logger", "thread", "msg", "trace_id", "span_id", "correlation_id", "error")
                .hasSize(9);
    }

    @Test
    void controlCharactersAreEscaped() {
        String line = new String(
                new JsonLineEncoder().encode(event("a\u0001b\tc\\", Map.of(), null)), StandardCharsets.UTF_8);
        assertThat(new JsonObject(line).getString("msg")).isEqualTo("a\u0001b\tc\\");
        assertThat(new JsonObject(line).containsKey("error")).isFalse();
    }

    @Test
    void logbackXmlSwitchesBetweenTextAndJsonOnOneProperty() throws Exception {
        assertThat(rootFormat("json")).isEqualTo("json");
        assertThat(rootFormat("JSON")).isEqualTo("json");
        assertThat(rootFormat("text")).isEqualTo("text");
        assertThat(rootFormat(null)).as("default").isEqualTo("text");
        assertThat(rootFormat("xml")).as("a bad value logs as text").isEqualTo("text");
    }

    /** The format logback.xml configures for {@code sluice.log.format}; its status has no warning (no dump at start). */
    private static String rootFormat(String format) throws Exception {
        LoggerContext ctx = new LoggerContext();
        if (format != null) {
            ctx.putProperty("sluice.log.format", format);
        }
        JoranConfigurator c = new JoranConfigurator();
        c.setContext(ctx);
        c.doConfigure(JsonLineEncoderTest.class.getResource("/logback.xml"));
        var it = ctx.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        assertThat(it.hasNext()).isTrue();
        var appender = it.next();
        assertThat(appender).isInstanceOf(ConsoleAppender.class);
        assertThat(it.hasNext()).isFalse();
        assertThat(ctx.getStatusManager().getCopyOfStatusList())
                .noneMatch(st -> st.getLevel() >= ch.qos.logback.core.status.Status.WARN);
        String f = ((FormatSwitchEncoder) ((OutputStreamAppender<?>) appender).getEncoder()).format();
        ctx.stop();
        return f;
    }
}
