package io.sluice.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a few blocking tasks on their own threads and waits for all of them, bounded. */
final class Parallel {

    private Parallel() {}

    /**
     * Runs every task on a new daemon thread and joins them all within {@code bound}.
     *
     * @throws EmbeddedKafkaException the first task failure (others suppressed), or a timeout
     */
    static void runAll(String name, List<Runnable> tasks, Duration bound) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            Runnable task = tasks.get(i);
            Thread thread = new Thread(
                    () -> {
                        try {
                            task.run();
                        } catch (RuntimeException | Error e) {
                            RuntimeException wrapped =
                                    e instanceof RuntimeException re ? re : new EmbeddedKafkaException(name, e);
                            if (!failure.compareAndSet(null, wrapped)) {
                                failure.get().addSuppressed(wrapped);
                            }
                        }
                    },
                    name + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            for (Thread thread : threads) {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (thread.isAlive()) {
                    throw new EmbeddedKafkaException(name + " did not finish within " + bound);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException(name + " interrupted", e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
