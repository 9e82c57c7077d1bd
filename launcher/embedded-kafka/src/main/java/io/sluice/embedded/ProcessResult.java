package io.sluice.embedded;

import java.time.Duration;

/**
 * Outcome of a tool run in a child JVM (see {@link KafkaTools#runTool}).
 *
 * @param exitCode the child's exit code; {@code -1} when it was killed after a timeout
 * @param stdout   everything the child wrote to standard output (UTF-8)
 * @param stderr   everything the child wrote to standard error (UTF-8)
 * @param timedOut whether the child was killed because it exceeded its timeout
 * @param elapsed  wall-clock time from launch to exit
 */
public record ProcessResult(int exitCode, String stdout, String stderr, boolean timedOut, Duration elapsed) {

    /** @return {@code true} when the child exited by itself with code 0 */
    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /**
     * @return this result
     * @throws EmbeddedKafkaException if the run did not {@linkplain #succeeded() succeed}; the message
     *                                carries the exit code and the tail of both streams
     */
    public ProcessResult orThrow() {
        if (!succeeded()) {
            throw new EmbeddedKafkaException((timedOut ? "timed out after " + elapsed : "exit code " + exitCode)
                    + "\n--- stdout (tail) ---\n" + FileUtil.tail(stdout, 40)
                    + "\n--- stderr (tail) ---\n" + FileUtil.tail(stderr, 40));
        }
        return this;
    }
}
