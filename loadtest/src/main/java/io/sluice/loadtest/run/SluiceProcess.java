package io.sluice.loadtest.run;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Sluice process (a child JVM running {@code io.sluice.launcher.Main} with a config file written here),
 * the way an operator runs it. Its output goes to {@code <dir>/<name>.log}; its admin API listens on a free
 * loopback port, which the runner scrapes for heap and lag-seconds; its peak RSS is read from
 * {@code /proc/<pid>/status}. Used from one runner thread at a time (the sampler reads the volatile peaks).
 */
public final class SluiceProcess implements AutoCloseable {
    /** System property: the class path of the child JVMs (default: this JVM's {@code java.class.path}). */
    public static final String CLASSPATH_PROPERTY = "sluice.loadtest.childClasspath";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path dir;
    private final JsonObject config;
    /** System property of the runner: JVM options added to every Sluice process (whitespace separated). */
    public static final String EXTRA_JVM_OPTIONS_PROPERTY = "loadtest.sluiceJvmOptions";

    private final List<String> jvmOptions;
    private final int adminPort;
    private volatile Process process;
    private volatile double peakHeapMb;
    private volatile double peakRssMb;
    private volatile Double lagSeconds;
    private volatile double cpuSecondsBefore;
    private volatile double cpuSecondsLast;
    private volatile Thread sampler;
    private int starts;

    private SluiceProcess(String name, Path dir, JsonObject config, List<String> jvmOptions, int adminPort) {
        this.name = name;
        this.dir = dir;
        this.config = config;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.adminPort = adminPort;
    }

    /**
     * Prepares a process: {@code config} gets an {@code admin} section on a free port (token
     * {@code loadtest}); nothing runs until {@link #start}.
     */
    public static SluiceProcess prepare(String name, Path dir, JsonObject config, List<String> jvmOptions)
            throws IOException {
        int port = freePort();
        JsonObject c = config.copy()
                .put(
                        "admin",
                        new JsonObject()
                                .put("enabled", true)
                                .put("host", "127.0.0.1")
                                .put("port", port)
                                .put("token", "loadtest")
                                .put("lagRefreshMs", 1000));
        return new SluiceProcess(name, dir, c, jvmOptions, port);
    }

    public String name() {
        return name;
    }

    /** Starts the JVM (again, after a stop: same config, same log file appended). */
    public void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        Files.createDirectories(dir);
        Path conf = dir.resolve(name + ".json");
        Files.writeString(conf, config.encodePrettily());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        String extra = System.getProperty(EXTRA_JVM_OPTIONS_PROPERTY, "").strip(); // e.g. a profiler, for one run
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty(CLASSPATH_PROPERTY, System.getProperty("java.class.path")));
        cmd.add("io.sluice.launcher.Main");
        cmd.add("--config");
        cmd.add(conf.toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve(name + ".log").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("SLUICE_"));
        cpuSecondsBefore += cpuSecondsLast;
        cpuSecondsLast = 0;
        process = pb.start();
        starts++;
        startSampler();
    }

    /** Scrapes once a second on a thread of its own while the process runs (a slow answer delays no one else). */
    private void startSampler() {
        Process p = process;
        Thread t = new Thread(
                () -> {
                    while (p.isAlive()) {
                        lagSeconds = sample();
                        try {
                            Thread.sleep(1_000); // the sampler's own thread
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "loadtest-sample-" + name);
        t.setDaemon(true);
        t.start();
        sampler = t;
    }

    /** The largest consumer lag in seconds of the latest scrape, or null (not running, not answering). */
    public Double lagSeconds() {
        return isAlive() ? lagSeconds : null;
    }

    /** How many times this process was started. */
    /** The port of its admin HTTP server (token {@code loadtest}). */
    public int adminPort() {
        return adminPort;
    }

    public int starts() {
        return starts;
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until {@code /health/ready} answers 200 (the pipeline runs); fails when the process dies first. */
    public void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " during start-up; see "
                        + dir.resolve(name + ".log"));
            }
            try {
                HttpResponse<Void> r = HTTP.send(
                        HttpRequest.newBuilder(uri("/health/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(200); // polling a child process from the runner thread, never an event loop
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; see " + dir.resolve(name + ".log"));
    }

    /**
     * Scrapes {@code /metrics} once: updates the heap and RSS peaks and returns the largest consumer lag in
     * seconds this process reports (null when it is not running or did not answer).
     */
    private Double sample() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return null;
        }
        Double cpu = ProcStatus.cpuSeconds(p.pid());
        if (cpu != null) {
            cpuSecondsLast = cpu;
        }
        Double rss = ProcStatus.kib(p.pid(), "VmHWM");
        if (rss != null) {
            peakRssMb = Math.max(peakRssMb, rss / 1024.0);
        }
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(uri("/metrics"))
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return null;
            }
            PrometheusText m = PrometheusText.parse(r.body());
            double heap = m.sum("jvm_memory_used_bytes", "area", "heap");
            peakHeapMb = Math.max(peakHeapMb, heap / (1024.0 * 1024.0));
            return m.max("sluice_consumer_lag_seconds");
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** CPU seconds used by every start of this process (as last sampled for the ones that ended). */
    public double cpuSeconds() {
        return cpuSecondsBefore + cpuSecondsLast;
    }

    public double peakHeapMb() {
        return peakHeapMb;
    }

    public double peakRssMb() {
        return peakRssMb;
    }

    /** SIGKILL: no drain, no commit — what a crash or an OOM kill does. */
    public void kill() throws InterruptedException {
        Process p = process;
        if (p != null) {
            sample();
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM and wait for the graceful drain (bounded; SIGKILL past it); returns the exit code. */
    public int stop(Duration timeout) throws InterruptedException {
        Process p = process;
        if (p == null) {
            return -1;
        }
        sample();
        p.toHandle().destroy();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        return p.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (isAlive()) {
            stop(Duration.ofSeconds(60));
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + adminPort + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
