package io.sluice.testsupport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns blocked-thread warnings into the failure message a test gets: one entry per blocking episode with the
 * thread, the longest block seen, the limit, how many warnings there were, and the head of its stack plus the
 * first project frames below the head (where the blocking call was made from). Plain logic, no I/O.
 */
public final class BlockedThreadReport {
    /** Frames shown from the top of a blocked thread's stack. */
    static final int HEAD_FRAMES = 8;
    /** Episodes shown with their stacks, longest first. */
    static final int EPISODES_SHOWN = 6;
    /** Project frames shown from below the head when the head has none. */
    static final int PROJECT_FRAMES = 4;

    private static final String PROJECT_PREFIX = "io.sluice.";
    private static final String OWN_PREFIX = "io.sluice.testsupport.";
    /** A class loader or module name (with an optional version) and its slash; lower-case dotted segments. */
    private static final Pattern LOADER_OR_MODULE = Pattern.compile("([a-z]\\w*(\\.[a-z]\\w*)*(@[^/(]*)?)?/");

    private BlockedThreadReport() {}

    /**
     * The report of {@code warnings} (not empty) seen during {@code scope} (a test or a process name). Warnings
     * are grouped into blocking episodes: Vert.x warns at every check while a thread stays blocked, with a growing
     * duration, so a thread's next warning with a shorter duration starts a new episode. The longest
     * {@value #EPISODES_SHOWN} episodes are shown with their stacks, the rest counted.
     */
    public static String describe(String scope, List<BlockedThreadWarning> warnings) {
        List<Episode> episodes = episodes(warnings);
        long threads = episodes.stream().map(e -> e.thread).distinct().count();
        StringBuilder sb = new StringBuilder("Vert.x's blocked-thread checker warned during ")
                .append(scope)
                .append(": ")
                .append(plural(episodes.size(), "blocked episode"))
                .append(" on ")
                .append(plural(threads, "thread"))
                .append(" (-D")
                .append(BlockedThreadExtension.FAIL_PROPERTY)
                .append("=false only logs this)");
        List<Episode> longestFirst = new ArrayList<>(episodes);
        longestFirst.sort(Comparator.comparingLong((Episode e) -> e.longestMs).reversed());
        longestFirst.stream().limit(EPISODES_SHOWN).forEach(e -> appendEpisode(sb, e));
        if (longestFirst.size() > EPISODES_SHOWN) {
            List<Episode> rest = longestFirst.subList(EPISODES_SHOWN, longestFirst.size());
            sb.append("\n  ... and ")
                    .append(plural(rest.size(), "shorter episode"))
                    .append(" (up to ")
                    .append(rest.get(0).longestMs)
                    .append(" ms) on ")
                    .append(String.join(
                            ", ", rest.stream().map(e -> e.thread).distinct().toList()));
        }
        return sb.toString();
    }

    private static List<Episode> episodes(List<BlockedThreadWarning> warnings) {
        List<Episode> all = new ArrayList<>();
        Map<String, Episode> current = new HashMap<>();
        for (BlockedThreadWarning w : warnings) {
            Episode e = current.get(w.thread());
            if (e == null || w.blockedMs() <= e.lastMs) {
                e = new Episode(w.thread(), w.limitMs());
                current.put(w.thread(), e);
                all.add(e);
            }
            e.add(w);
        }
        return all;
    }

    private static void appendEpisode(StringBuilder sb, Episode e) {
        sb.append("\n  ")
                .append(e.thread)
                .append(": blocked for up to ")
                .append(e.longestMs)
                .append(" ms, limit ")
                .append(e.limitMs)
                .append(" ms, ")
                .append(plural(e.warnings, "warning"));
        if (e.stack.isEmpty()) {
            sb.append("\n    (no stack: Vert.x prints one past its warningExceptionTime, 5 s by default,"
                    + " and the thread was no longer blocked when sampled)");
            return;
        }
        List<String> head = e.stack.subList(0, Math.min(HEAD_FRAMES, e.stack.size()));
        head.forEach(f -> sb.append("\n    at ").append(withoutLoaderAndModule(f)));
        if (head.stream().noneMatch(BlockedThreadReport::isProjectFrame)) {
            List<String> project = e.stack.subList(head.size(), e.stack.size()).stream()
                    .filter(BlockedThreadReport::isProjectFrame)
                    .limit(PROJECT_FRAMES)
                    .toList();
            if (!project.isEmpty()) {
                sb.append("\n    ... called from:");
                project.forEach(f -> sb.append("\n    at ").append(withoutLoaderAndModule(f)));
            }
        }
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    /** One thread blocked once: the warnings of one stretch, their longest duration, the first stack seen. */
    private static final class Episode {
        final String thread;
        final long limitMs;
        long lastMs = -1;
        long longestMs;
        int warnings;
        List<String> stack = List.of();

        Episode(String thread, long limitMs) {
            this.thread = thread;
            this.limitMs = limitMs;
        }

        void add(BlockedThreadWarning w) {
            lastMs = w.blockedMs();
            longestMs = Math.max(longestMs, w.blockedMs());
            warnings++;
            if (stack.isEmpty()) {
                stack = w.stack();
            }
        }
    }

    private static boolean isProjectFrame(String frame) {
        String f = withoutLoaderAndModule(frame);
        return f.startsWith(PROJECT_PREFIX) && !f.startsWith(OWN_PREFIX);
    }

    /**
     * {@code app//a.B.c(B.java:1)} or {@code java.base@17/a.B.c(..)} ({@code StackTraceElement.toString()}, as a
     * child JVM prints it) to {@code a.B.c(..)}; hidden classes ({@code X$$Lambda$1/0x1.run}) are left alone.
     */
    static String withoutLoaderAndModule(String frame) {
        String f = frame;
        for (int i = 0; i < 2; i++) {
            Matcher m = LOADER_OR_MODULE.matcher(f);
            if (!m.lookingAt()) {
                break;
            }
            f = f.substring(m.end());
        }
        return f;
    }
}
