package io.sluice.testsupport;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One warning of Vert.x's blocked-thread checker: the thread it named, how long that thread had been blocked,
 * the limit it exceeded, and the blocked thread's stack when one was captured (innermost frame first; empty
 * when none was).
 *
 * <p>Vert.x 5 logs {@code Thread <name> has been blocked for <n> ms, time limit is <m> ms} at WARN through the
 * logger {@value #CHECKER_LOGGER}; past {@code warningExceptionTime} (5 s by default) the same line carries a
 * {@code VertxException: Thread blocked} with the thread's stack.
 *
 * @param thread     the blocked thread's name, e.g. {@code vert.x-eventloop-thread-1}
 * @param blockedMs  how long it had been blocked when the checker looked
 * @param limitMs    the limit (max event-loop or worker execute time) it exceeded
 * @param stack      its stack, innermost frame first, as {@code StackTraceElement.toString()} lines
 */
public record BlockedThreadWarning(String thread, long blockedMs, long limitMs, List<String> stack) {

    /** The logger name Vert.x 5 ({@code io.vertx.core.internal.threadchecker.BlockedThreadChecker}) logs through. */
    public static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

    private static final Pattern MESSAGE =
            Pattern.compile("Thread (.+?) has been blocked for (\\d+) ms, time limit is (\\d+) ms");

    /** Defensive copy of the stack. */
    public BlockedThreadWarning {
        stack = List.copyOf(stack);
    }

    /**
     * The warning in {@code text} (a log message or a whole output line around it), if there is one.
     * The stack is left empty.
     */
    public static Optional<BlockedThreadWarning> parse(String text) {
        Matcher m = MESSAGE.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new BlockedThreadWarning(
                m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), List.of()));
    }

    /** The same warning with {@code frames} as its stack. */
    public BlockedThreadWarning withStack(List<String> frames) {
        return new BlockedThreadWarning(thread, blockedMs, limitMs, frames);
    }
}
