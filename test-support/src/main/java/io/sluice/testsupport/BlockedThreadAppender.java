package io.sluice.testsupport;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A logback appender that records Vert.x blocked-thread warnings in a {@link BlockedThreadLog}. Attach it in
 * {@code logback-test.xml} to the checker's logger (additivity stays on, so the warning is still printed):
 * <pre>{@code
 * <appender name="BLOCKED" class="io.sluice.testsupport.BlockedThreadAppender"/>
 * <logger name="io.vertx.core.impl.BlockedThreadChecker" level="WARN">
 *   <appender-ref ref="BLOCKED"/>
 * </logger>
 * }</pre>
 * The stack recorded is the one Vert.x attaches (blocks past {@code warningExceptionTime}, 5 s by default);
 * below that Vert.x logs none, so the appender samples the named thread's stack itself: it runs on the
 * checker's timer thread while the reported thread is, most likely, still blocked.
 */
public final class BlockedThreadAppender extends AppenderBase<ILoggingEvent> {
    private static final AtomicInteger STARTED_ON_GLOBAL = new AtomicInteger();
    /** Frames kept per stack: enough to reach the project frame that made a blocking call. */
    private static final int MAX_FRAMES = 64;

    private final BlockedThreadLog log;

    /** The appender {@code logback-test.xml} creates: records to {@link BlockedThreadLog#global()}. */
    public BlockedThreadAppender() {
        this(BlockedThreadLog.global());
    }

    /** An appender recording to {@code log} (for attaching programmatically). */
    public BlockedThreadAppender(BlockedThreadLog log) {
        this.log = log;
    }

    /** Whether an appender writing to the global log has been started (logback configured it). */
    public static boolean attachedToGlobalLog() {
        return STARTED_ON_GLOBAL.get() > 0;
    }

    @Override
    public void start() {
        super.start();
        if (log == BlockedThreadLog.global()) {
            STARTED_ON_GLOBAL.incrementAndGet();
        }
    }

    @Override
    public void stop() {
        if (isStarted() && log == BlockedThreadLog.global()) {
            STARTED_ON_GLOBAL.decrementAndGet();
        }
        super.stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!BlockedThreadWarning.CHECKER_LOGGER.equals(event.getLoggerName())) {
            return;
        }
        BlockedThreadWarning.parse(event.getFormattedMessage())
                .map(w -> w.withStack(stackOf(event.getThrowableProxy(), w.thread())))
                .ifPresent(log::record);
    }

    private static List<String> stackOf(IThrowableProxy thrown, String threadName) {
        if (thrown != null && thrown.getStackTraceElementProxyArray().length > 0) {
            return Arrays.stream(thrown.getStackTraceElementProxyArray())
                    .limit(MAX_FRAMES)
                    .map(StackTraceElementProxy::getStackTraceElement)
                    .map(BlockedThreadAppender::frame)
                    .toList();
        }
        return liveStack(threadName);
    }

    /**
     * The stack of the busy thread named {@code name}. Several Vert.x instances in one JVM reuse thread names, so
     * threads parked idle (an event loop in its selector, a worker waiting for a task) are skipped; of several busy
     * ones (rare: the tests run one Vert.x at a time) the first is taken.
     */
    private static List<String> liveStack(String name) {
        for (Map.Entry<Thread, StackTraceElement[]> e :
                Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getName().equals(name) && !isIdle(e.getValue())) {
                return Arrays.stream(e.getValue())
                        .limit(MAX_FRAMES)
                        .map(BlockedThreadAppender::frame)
                        .toList();
            }
        }
        return List.of();
    }

    /** {@code class.method(File.java:line)}, without the loader and module prefixes of {@code toString()}. */
    private static String frame(StackTraceElement f) {
        String where = f.isNativeMethod()
                ? "Native Method"
                : f.getFileName() == null
                        ? "Unknown Source"
                        : f.getLineNumber() >= 0 ? f.getFileName() + ":" + f.getLineNumber() : f.getFileName();
        return f.getClassName() + "." + f.getMethodName() + "(" + where + ")";
    }

    private static boolean isIdle(StackTraceElement[] stack) {
        for (int i = 0; i < Math.min(stack.length, 12); i++) {
            String cls = stack[i].getClassName();
            String method = stack[i].getMethodName();
            if (cls.endsWith("SelectorImpl") && method.startsWith("select")
                    || cls.equals("io.netty.channel.epoll.Native") && method.startsWith("epollWait")
                    || cls.equals("java.util.concurrent.ThreadPoolExecutor") && method.equals("getTask")) {
                return true;
            }
        }
        return stack.length == 0;
    }
}
