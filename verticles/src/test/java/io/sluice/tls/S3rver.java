package io.sluice.tls;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * An S3-compatible server for tests: {@code s3rver} (npm, MIT) run by Node as a child process on 127.0.0.1, objects
 * in a directory of the test. Installed by {@code npm ci} in {@code verticles/src/test/s3rver} ({@code .ci/run} does
 * it). {@link #script()} finds it or, when it is missing, fails the test under {@code CI=true} and skips it otherwise,
 * printing why. Credentials: {@value #ACCESS_KEY} / {@value #SECRET_KEY}.
 */
public final class S3rver implements AutoCloseable {
    public static final String ACCESS_KEY = "S3RVER";
    public static final String SECRET_KEY = "S3RVER";
    private static final Path RELATIVE = Path.of("verticles", "src", "test", "s3rver");

    private final Process process;
    private final int port;
    private final Path log;

    private S3rver(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The start script, or a failure (CI=true) / skip (otherwise) naming what is missing. */
    public static Path script() {
        StringBuilder why = new StringBuilder();
        return locate(why).orElseGet(() -> {
            String reason = "needs s3rver: " + why;
            System.out.println("[s3rver] " + reason);
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason + " (CI=true: .ci/run installs it with npm ci)");
            }
            Assumptions.abort(reason + " (skipped outside CI)");
            return null;
        });
    }

    static Optional<Path> locate(StringBuilder why) {
        List<Path> dirs = new ArrayList<>();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            dirs.add(p.resolve(RELATIVE));
            dirs.add(p.resolve(Path.of("src", "test", "s3rver")));
        }
        for (Path d : dirs) {
            if (Files.isRegularFile(d.resolve("server.js"))
                    && Files.isDirectory(d.resolve(Path.of("node_modules", "s3rver")))) {
                if (!nodeAvailable()) {
                    why.append("s3rver is installed at ").append(d).append(" but 'node' is not on the PATH");
                    return Optional.empty();
                }
                return Optional.of(d.resolve("server.js"));
            }
        }
        why.append("s3rver is not installed: run 'npm ci' in ").append(RELATIVE);
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

    /** Starts s3rver on a free port with its objects in {@code dir} and the {@code buckets}; waits until it listens. */
    public static S3rver start(Path script, Path dir, String... buckets) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return start(script, dir, port, buckets);
    }

    /** On {@code port} (e.g. again on the port of a stopped one). */
    public static S3rver start(Path script, Path dir, int port, String... buckets) throws IOException {
        Files.createDirectories(dir);
        Path log = Files.createTempFile("s3rver-" + port + "-", ".log");
        List<String> cmd = new ArrayList<>(List.of("node", script.toString(), Integer.toString(port), dir.toString()));
        cmd.addAll(List.of(buckets));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new IOException("s3rver exited with " + p.exitValue() + " (log " + log + ": "
                                    + Files.readString(log) + ")");
                        }
                        return Files.readString(log).contains("s3rver listening") && accepts(port);
                    });
        } catch (RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
        return new S3rver(p, port, log);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * A client for the test's own uploads (path style, the server's credentials; no request checksums or chunked
     * uploads, which s3rver does not decode). Close it.
     */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(
                        S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .build();
    }

    /** Uploads {@code bytes} as {@code s3://bucket/key}; returns the new ETag. */
    public String put(String bucket, String key, byte[] bytes) {
        try (S3Client c = client()) {
            return c.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes))
                    .eTag();
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it. */
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

    @Override
    public String toString() {
        return "s3rver[" + endpoint() + ", pid " + process.pid() + ", log " + log + "]";
    }
}
