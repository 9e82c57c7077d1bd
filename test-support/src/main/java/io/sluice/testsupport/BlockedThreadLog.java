package io.sluice.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The blocked-thread warnings recorded in this JVM, in arrival order. {@link BlockedThreadAppender} writes to
 * {@link #global()}; {@link BlockedThreadExtension} reads the warnings that arrived during a test (between two
 * {@link #mark() marks}) and marks them reported, so a class-level check does not report them twice.
 * Thread-safe: the checker's timer thread appends while test threads read.
 */
public final class BlockedThreadLog {
    private static final BlockedThreadLog GLOBAL = new BlockedThreadLog();

    private final List<BlockedThreadWarning> warnings = new ArrayList<>();
    private final Set<BlockedThreadWarning> reported = Collections.newSetFromMap(new IdentityHashMap<>());

    /** The log the appenders configured in {@code logback-test.xml} write to. */
    public static BlockedThreadLog global() {
        return GLOBAL;
    }

    /** Appends a warning. */
    public synchronized void record(BlockedThreadWarning warning) {
        warnings.add(warning);
    }

    /** A position in the log: {@link #unreportedSince(int)} returns what arrives after it. */
    public synchronized int mark() {
        return warnings.size();
    }

    /** All warnings recorded so far. */
    public synchronized List<BlockedThreadWarning> all() {
        return List.copyOf(warnings);
    }

    /** The warnings recorded after {@code mark} and not yet {@link #markReported(List) reported}. */
    public synchronized List<BlockedThreadWarning> unreportedSince(int mark) {
        List<BlockedThreadWarning> out = new ArrayList<>();
        for (BlockedThreadWarning w : warnings.subList(Math.min(mark, warnings.size()), warnings.size())) {
            if (!reported.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }

    /** Marks these warnings as reported (to one test), so they are not reported again. */
    public synchronized void markReported(List<BlockedThreadWarning> ws) {
        reported.addAll(ws);
    }
}
