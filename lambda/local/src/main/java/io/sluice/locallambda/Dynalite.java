package io.sluice.locallambda;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local DynamoDB-compatible server: {@code dynalite} (npm, MIT licence) run by Node, in memory, as a child process
 * listening on 127.0.0.1. Installed by {@code npm ci} in {@code lambda/local/src/test/dynalite} ({@code .ci/run} does
 * it); {@link #locate()} finds it from the repository root or a module directory, or from the system property
 * {@value #DIR_PROPERTY}. Blocking: start and close it off any event loop.
 */
public final class Dynalite implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dynalite.class);

    /** System property naming the directory holding {@code node_modules/dynalite}. */
    public static final String DIR_PROPERTY = "sluice.dynalite.dir";

    private static final Path RELATIVE = Path.of("lambda", "local", "src", "test", "dynalite");

    private final Process process;
    private final URI endpoint;

    private Dynalite(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /**
     * The dynalite start script ({@code server.js} beside {@code node_modules}), or why it is not there (no {@code node}, or {@code npm ci} not run).
     *
     * @return the script path, or empty with {@code why} filled
     */
    public static Optional<Path> locate(StringBuilder why) {
        List<Path> dirs = new java.util.ArrayList<>();
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            dirs.add(Path.of(configured));
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            dirs.add(p.resolve(RELATIVE));
            if (p.endsWith(Path.of("lambda", "local"))) {
                dirs.add(p.resolve(Path.of("src", "test", "dynalite")));
            }
        }
        for (Path d : dirs) {
            Path cli = d.resolve("server.js"); // dynalite's CLI, kept alive when a client aborts a request
            if (Files.isRegularFile(cli)
                    && Files.isRegularFile(d.resolve(Path.of("node_modules", "dynalite", "cli.js")))) {
                if (!nodeAvailable()) {
                    why.append("dynalite is installed at ").append(d).append(" but 'node' is not on the PATH");
                    return Optional.empty();
                }
                return Optional.of(cli);
            }
        }
        why.append("dynalite is not installed: run 'npm ci' in ")
                .append(RELATIVE)
                .append(" (looked in ")
                .append(dirs.get(0))
                .append(dirs.size() > 1 ? " and " + (dirs.size() - 1) + " more" : "")
                .append(")");
        return Optional.empty();
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts dynalite on a free port and waits (bounded) until it accepts connections. */
    public static Dynalite start(Path cli, Duration startTimeout) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("dynalite-" + port + "-", ".log");
        Process p = new ProcessBuilder(
                        "node",
                        cli.toString(),
                        "--host",
                        "127.0.0.1",
                        "--port",
                        Integer.toString(port),
                        "--createTableMs",
                        "0",
                        "--deleteTableMs",
                        "0",
                        "--updateTableMs",
                        "0")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IOException("dynalite exited with " + p.exitValue() + " before listening on port " + port
                            + " (log " + log + ")");
                }
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IOException("dynalite did not listen on port " + port + " within " + startTimeout);
                }
                TimeUnit.MILLISECONDS.sleep(50); // a caller's thread waiting for a child process, not an event loop
            }
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        LOG.info("dynalite started pid={} endpoint={} log={}", p.pid(), endpoint, log);
        p.onExit()
                .thenAccept(
                        done -> LOG.info("dynalite pid={} exited with {} (log {})", done.pid(), done.exitValue(), log));
        return new Dynalite(p, endpoint);
    }

    /** {@code http://127.0.0.1:<port>}: the DynamoDB endpoint override. */
    public URI endpoint() {
        return endpoint;
    }

    /** The process id (to kill it in a test of an unavailable store). */
    public long pid() {
        return process.pid();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
