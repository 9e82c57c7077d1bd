package io.sluice.embedded;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every child JVM started by this module: ties the child's life to its parent's, then
 * runs the real main class.
 *
 * <p>Usage: {@code java ... io.sluice.embedded.ParentWatchdogMain <mainClass> [args...]}.
 *
 * <p>A daemon thread reads {@code System.in} until end of stream. The parent holds the write end of
 * that pipe and never writes to it, so end of stream means the parent died (even by SIGKILL) or
 * closed the pipe on purpose. The child then calls {@code System.exit(1)} so that the main class's
 * shutdown hooks run (Kafka's stops the broker cleanly); if those hooks do not finish within
 * {@code sluice.watchdog.haltAfterMs} milliseconds (default 20000) the JVM is halted.
 *
 * <p>With {@code -Dsluice.watchdog.ignoreTerminalSignals=true} the child also ignores SIGINT and
 * SIGHUP, the signals a terminal sends to its whole foreground process group on Ctrl-C and when it
 * closes: the parent handles them and stops the child itself, after its own last use of it. (The
 * parent sets this when it cannot start the child in a session of its own with {@code setsid}.)
 *
 * <p>This class is copied as raw bytes into a bootstrap directory on the child's class path, so it
 * must stay self-contained: JDK only, no nested or anonymous classes (lambdas are fine).
 */
public final class ParentWatchdogMain {

    /** System property: milliseconds to wait for shutdown hooks after the parent died. */
    public static final String HALT_AFTER_PROPERTY = "sluice.watchdog.haltAfterMs";

    /** System property: {@code true} to ignore SIGINT and SIGHUP (the terminal's signals). */
    public static final String IGNORE_TERMINAL_SIGNALS_PROPERTY = "sluice.watchdog.ignoreTerminalSignals";

    private ParentWatchdogMain() {}

    /**
     * Starts the parent watchdog, then invokes {@code main(String[])} of {@code args[0]} with the
     * remaining arguments.
     *
     * @param args the main class name followed by its arguments
     * @throws Throwable whatever the delegate main throws
     */
    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ParentWatchdogMain <mainClass> [args...]");
            System.exit(2);
        }
        if (Boolean.getBoolean(IGNORE_TERMINAL_SIGNALS_PROPERTY)) {
            ignoreTerminalSignals();
        }
        Thread watchdog = new Thread(ParentWatchdogMain::watchParent, "sluice-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * A handler rather than {@code SIG_IGN}: a main class that installs its own handler later (Kafka
     * logs the signal, then calls the handler it replaced) then ends up here instead of at the JVM's
     * default handler, which would exit.
     */
    private static void ignoreTerminalSignals() {
        for (String name : new String[] {"INT", "HUP"}) {
            try {
                sun.misc.Signal.handle(
                        new sun.misc.Signal(name),
                        signal -> System.err.println("[sluice-parent-watchdog] ignoring SIG" + signal.getName()
                                + "; the parent stops this process"));
            } catch (IllegalArgumentException e) {
                System.err.println("[sluice-parent-watchdog] cannot ignore SIG" + name + ": " + e.getMessage());
            }
        }
    }

    private static void watchParent() {
        byte[] buffer = new byte[256];
        try (InputStream in = System.in) {
            while (in.read(buffer) >= 0) {
                // The parent never writes; anything read is ignored.
            }
        } catch (Exception e) {
            // A broken pipe means the same as end of stream.
        }
        System.err.println("[sluice-parent-watchdog] parent process is gone (stdin closed); exiting");
        long haltAfterMs = Long.getLong(HALT_AFTER_PROPERTY, 20_000L);
        Thread halter = new Thread(
                () -> {
                    try {
                        Thread.sleep(haltAfterMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    System.err.println("[sluice-parent-watchdog] shutdown hooks too slow; halting");
                    Runtime.getRuntime().halt(1);
                },
                "sluice-parent-watchdog-halt");
        halter.setDaemon(true);
        halter.start();
        System.exit(1);
    }
}
