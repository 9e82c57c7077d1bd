package io.sluice.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocked-thread check over a child process's output (a Sluice JVM started from the fat jar): the warning
 * lines it printed, with the stack Vert.x prints under a line when the block passed
 * {@code warningExceptionTime}. The scan is plain logic; {@link #assertNone} is the one place that fails.
 */
public final class BlockedThreadOutput {
    private static final Logger LOG = LoggerFactory.getLogger(BlockedThreadOutput.class);

    private BlockedThreadOutput() {}

    /** The blocked-thread warnings in {@code lines}, in order, each with the stack printed below it if any. */
    public static List<BlockedThreadWarning> scan(List<String> lines) {
        List<BlockedThreadWarning> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Optional<BlockedThreadWarning> w = BlockedThreadWarning.parse(lines.get(i));
            if (w.isPresent()) {
                out.add(w.get().withStack(stackBelow(lines, i + 1)));
            }
        }
        return out;
    }

    /**
     * Fails (an {@link AssertionError} naming {@code process}, each blocked thread and its stack head) when
     * {@code lines} hold a blocked-thread warning; with {@code -Dsluice.test.failOnBlockedThread=false} logs
     * the report at WARN instead.
     */
    public static void assertNone(String process, List<String> lines) {
        List<BlockedThreadWarning> ws = scan(lines);
        if (ws.isEmpty()) {
            return;
        }
        String report = BlockedThreadReport.describe(process, ws);
        if (BlockedThreadExtension.failOnBlockedThread()) {
            throw new AssertionError(report);
        }
        LOG.warn("{}", report);
    }

    /** {@code io.vertx.core.VertxException: Thread blocked} followed by {@code at ...} lines, or nothing. */
    private static List<String> stackBelow(List<String> lines, int from) {
        if (from >= lines.size() || !lines.get(from).contains("VertxException: Thread blocked")) {
            return List.of();
        }
        List<String> frames = new ArrayList<>();
        for (int i = from + 1; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (!l.startsWith("at ")) {
                break;
            }
            frames.add(l.substring(3));
        }
        return frames;
    }
}
