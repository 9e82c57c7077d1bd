package io.sluice.consumer;

import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work handed to the thread that owns a resource (the Kafka consumer), run by that thread between its own
 * steps. Once the owner ends ({@link #end}), every queued and every later command is failed at once instead
 * of run, so whoever waits for one always gets an answer. Thread-safe: any thread submits, one thread runs.
 *
 * @param <R> the resource the commands act on
 */
final class CommandQueue<R> {
    private static final Logger LOG = LoggerFactory.getLogger(CommandQueue.class);

    /** One piece of work; {@code fail} is called instead of {@code run} when the owner has ended. */
    interface Command<R> {
        void run(R resource);

        void fail(Throwable error);
    }

    private final ConcurrentLinkedQueue<Command<R>> queue = new ConcurrentLinkedQueue<>();
    private volatile Throwable ended;

    /** Queues {@code c}, or fails it at once when the owner has ended. */
    void submit(Command<R> c) {
        Throwable reason = ended;
        if (reason != null) {
            c.fail(reason);
            return;
        }
        queue.add(c);
        reason = ended;
        if (reason != null) { // the owner ended between the check and the add
            failAll(reason);
        }
    }

    /**
     * On the owner's thread: runs every queued command. A command that throws {@code interruption} (the owner
     * is being woken up to end) is failed with it; the others still run.
     */
    void runAll(R resource, Class<? extends RuntimeException> interruption) {
        Command<R> c;
        while ((c = queue.poll()) != null) {
            try {
                c.run(resource);
            } catch (RuntimeException e) {
                if (!interruption.isInstance(e)) {
                    throw e;
                }
                LOG.debug("Command interrupted: {}", e.toString());
                c.fail(e);
            }
        }
    }

    /** The owner ended: no command runs from now on; queued and later ones fail with {@code reason}. */
    void end(Throwable reason) {
        ended = reason;
        failAll(reason);
    }

    boolean ended() {
        return ended != null;
    }

    private void failAll(Throwable reason) {
        Command<R> c;
        while ((c = queue.poll()) != null) {
            try {
                c.fail(reason);
            } catch (RuntimeException e) {
                LOG.warn("A command's failure handler failed: {}", e.toString());
            }
        }
    }
}
