package io.sluice.locallambda.internal;

import java.util.ArrayList;
import java.util.List;

/** How one invocation ended. */
public sealed interface Outcome {

    /** The function returned. */
    record Success(byte[] payload) implements Outcome {}

    /** The function threw: reported as {@code Unhandled} with the Java runtime's error JSON. */
    record Failure(String errorType, String errorMessage, List<String> stackTrace) implements Outcome {
        static Failure of(Throwable t) {
            List<String> stack = new ArrayList<>();
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, 20); i++) {
                stack.add(frames[i].toString());
            }
            return new Failure(t.getClass().getName(), t.getMessage() == null ? t.toString() : t.getMessage(), stack);
        }
    }

    /** The function ran past its timeout. */
    record TimedOut(long timeoutMs) implements Outcome {}
}
