package io.sluice.launcher.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.consumer.ConsumerVerticle;
import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.launcher.OutputPump;
import io.sluice.launcher.Sluice;
import io.sluice.launcher.SluiceConfig;
import io.sluice.tls.S3rver;
import io.sluice.tls.TestPki;
import io.sluice.tls.TlsMaterialException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka TLS material from S3 against a real S3-compatible server (s3rver, a child process) and a broker whose SSL
 * listener requires a client certificate: the certificate is fetched at start, rotated by uploading a new object
 * (no restart; the Kafka clients are recreated with it), S3 going down while Sluice polls keeps the current
 * material and shows in the readiness detail with the age of the last successful fetch, and S3 unreachable at
 * start fails the start at once with one line (the jar exits 2).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3TlsIT {
    private static final String BUCKET = "sluice-certs";
    private static final String KEYSTORE = "kafka/client.p12";
    private static final String TRUSTSTORE = "kafka/trust.p12";

    @TempDir
    static Path dir;

    private static Path script;
    private static S3rver s3;
    private static TestPki.Issued ca;
    private static EmbeddedKafkaCluster cluster;
    private static Vertx vertx;
    private static Sluice sluice;
    private static PrometheusMeterRegistry registry;
    private static final List<String> produced = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        script = S3rver.script(); // fails under CI=true when s3rver is missing, skips otherwise
        s3 = S3rver.start(script, dir.resolve("s3data"), BUCKET);
        ca = TestPki.ca("Sluice S3 Test CA");
        upload(
                KEYSTORE,
                TestPki.keystore(
                        dir.resolve("client-1.p12"), TestPki.leaf(ca, "s3-client", 100), TlsTestSupport.CLIENT_PW));
        upload(TRUSTSTORE, TestPki.truststore(dir.resolve("trust.p12"), TlsTestSupport.TRUST_PW, ca.cert()));
        // Sluice uses the SDK's default credential chain: system properties come first in it
        System.setProperty("aws.accessKeyId", S3rver.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3rver.SECRET_KEY);
        TestPki.Issued broker = TestPki.leaf(ca, "broker", 30);
        cluster = EmbeddedKafkaCluster.start(
                TlsTestSupport.sslBroker(dir, ca, broker).heap("256m", "512m").build());
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (sluice != null) {
                sluice.stopBlocking(Duration.ofSeconds(60));
            }
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (s3 != null) {
                s3.close();
            }
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    private static void upload(String key, Path file) throws Exception {
        s3.put(BUCKET, key, Files.readAllBytes(file));
    }

    private static JsonObject tls(URI endpoint) {
        return new JsonObject()
                .put("enabled", true)
                .put(
                        "keystore",
                        new JsonObject()
                                .put("path", "s3://" + BUCKET + "/" + KEYSTORE)
                                .put("type", "PKCS12")
                                .put("passwordEnv", "KAFKA_KEYSTORE_PASSWORD"))
                .put(
                        "truststore",
                        new JsonObject()
                                .put("path", "s3://" + BUCKET + "/" + TRUSTSTORE)
                                .put("type", "PKCS12")
                                .put("passwordEnv", "KAFKA_TRUSTSTORE_PASSWORD"))
                .put("watchIntervalMs", 300)
                .put(
                        "s3",
                        new JsonObject()
                                .put("region", "us-east-1")
                                .put("endpoint", endpoint.toString())
                                .put("pathStyle", true)
                                .put("timeoutMs", 3_000));
    }

    @Test
    @Order(1)
    void theClientCertificateIsFetchedFromS3AtStart() throws Exception {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SluiceConfig config = SluiceConfig.fromJson(
                TlsTestSupport.config(cluster.bootstrapServers("SSL"), tls(s3.endpoint())), TlsTestSupport.ENV);
        sluice = new Sluice(vertx, config, registry);
        sluice.start().toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);

        produceAndAwaitDelivery(0, 100);

        Path copy = config.tls().keystore().path();
        assertThat(copy.toString()).doesNotStartWith("s3:");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.getParent())))
                .isEqualTo("rwx------");
        JsonObject check = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(S3TlsIT::tlsCheck, c -> c.getBoolean("ok"));
        assertThat(check.getString("detail"))
                .contains("CN=s3-client'", "handshake accepted", "material from S3, last successful fetch");
    }

    @Test
    @Order(2)
    void uploadingANewObjectRotatesWithoutRestart() throws Exception {
        assertThat(sluice).as("started by the first test").isNotNull();
        ConsumerVerticle before = sluice.pipelines().get(0).consumer();
        List<Future<?>> during = produce(100, 200);
        upload(
                KEYSTORE,
                TestPki.keystore(
                        dir.resolve("client-2.p12"),
                        TestPki.leaf(ca, "s3-client-rotated", 200),
                        TlsTestSupport.CLIENT_PW));

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(registry.get("sluice.tls.rotations")
                                .tag("result", "ok")
                                .counter()
                                .count())
                        .isEqualTo(1.0));
        assertThat(registry.get("sluice.tls.client.cert.days.to.expiry").gauge().value())
                .isBetween(199.0, 200.0);
        assertThat(sluice.pipelines().get(0).consumer())
                .as("the consumer was recreated")
                .isNotSameAs(before);
        assertThat(sluice.tlsStatus().readiness().getString("detail")).contains("CN=s3-client-rotated'");
        awaitAnswers(during);

        produceAndAwaitDelivery(200, 300); // through the new producer and consumer, with the new certificate
        assertThat(sluice.localLambda().sink().missing(produced))
                .as("records lost across the rotation")
                .isEmpty();
    }

    @Test
    @Order(3)
    void s3DownWhilePollingKeepsTheCurrentMaterialAndReadinessShowsTheLastFetch() throws Exception {
        assertThat(sluice).as("started by the first test").isNotNull();
        int port = s3.port();
        s3.close();

        JsonObject check = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(S3TlsIT::tlsCheck, c -> c.getString("detail").contains("S3 unavailable since"));
        System.out.println("[S3TlsIT] readiness tls while S3 is down: " + check);
        assertThat(check.getBoolean("ok"))
                .as("the material in use is valid: " + check)
                .isTrue();
        assertThat(check.getString("detail"))
                .contains("CN=s3-client-rotated'")
                .containsPattern("keeping the current material, last successful fetch \\d+ s ago");
        produceAndAwaitDelivery(300, 400); // the clients keep working with the current material
        assertThat(registry.get("sluice.tls.rotations")
                        .tag("result", "ok")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.get("sluice.tls.rotations")
                        .tag("result", "failed")
                        .counter()
                        .count())
                .isZero();
        assertThat(registry.get("sluice.tls.rotations")
                        .tag("result", "rejected")
                        .counter()
                        .count())
                .isZero();

        // S3 back (same port, same objects): polling resumes and a new object rotates again
        s3 = S3rver.start(script, dir.resolve("s3data"), port, BUCKET);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        S3TlsIT::tlsCheck,
                        c -> c.getString("detail").contains("material from S3, last successful fetch"));
        upload(
                KEYSTORE,
                TestPki.keystore(
                        dir.resolve("client-3.p12"),
                        TestPki.leaf(ca, "s3-client-after-outage", 300),
                        TlsTestSupport.CLIENT_PW));
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(registry.get("sluice.tls.rotations")
                                .tag("result", "ok")
                                .counter()
                                .count())
                        .isEqualTo(2.0));
        produceAndAwaitDelivery(400, 450);
        assertThat(sluice.tlsStatus().readiness().getString("detail")).contains("CN=s3-client-after-outage'");
        assertThat(sluice.localLambda().sink().missing(produced)).isEmpty();
    }

    @Test
    @Order(4)
    void s3UnreachableAtStartFailsAtOnceWithOneLine() throws Exception {
        URI dead = deadEndpoint();
        JsonObject conf = TlsTestSupport.config(cluster.bootstrapServers("SSL"), tls(dead));
        String expected = "kafka.tls.keystore.path: cannot fetch s3://" + BUCKET + "/" + KEYSTORE
                + " from S3: GetObject s3://" + BUCKET + "/" + KEYSTORE + ": S3 not reachable (";
        Sluice s = new Sluice(
                vertx,
                SluiceConfig.fromJson(conf, TlsTestSupport.ENV),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        long t0 = System.nanoTime();
        Throwable cause = null;
        try {
            s.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            cause = e.getCause();
        } finally {
            s.stopBlocking(Duration.ofSeconds(30));
        }
        assertThat(cause).isInstanceOf(TlsMaterialException.class);
        System.out.println("[S3TlsIT] in-process start failed with: " + cause.getMessage());
        assertThat(cause.getMessage()).startsWith(expected).doesNotContain("\n");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("fails fast").isLessThan(Duration.ofSeconds(15));

        // the jar, as a user runs it: one line, exit 2
        conf.getJsonObject("admin").put("enabled", false);
        Path file = Files.createTempFile(dir, "conf", ".json");
        Files.writeString(file, conf.encodePrettily());
        Path jar =
                Path.of(System.getProperty("sluice.jar", "target/sluice.jar")).toAbsolutePath();
        assertThat(jar).as("the fat jar (package phase)").isRegularFile();
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        jar.toString(),
                        "--config",
                        file.toString())
                .directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SLUICE_") || k.startsWith("AWS_"));
        pb.environment().putAll(TlsTestSupport.ENV);
        pb.environment().put("AWS_ACCESS_KEY_ID", S3rver.ACCESS_KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", S3rver.SECRET_KEY);
        Process p = pb.start();
        List<String> err = new CopyOnWriteArrayList<>();
        Thread errPump = OutputPump.start(p.getErrorStream(), err, "S3TlsIT");
        OutputPump.start(p.getInputStream(), new CopyOnWriteArrayList<>(), "S3TlsIT");
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
            errPump.join(5_000);
            assertThat(p.exitValue()).as("exit code; stderr " + err).isEqualTo(2);
            assertThat(err).as("stderr").hasSize(1);
            System.out.println("[S3TlsIT] the jar exited 2 with: " + err.get(0));
            assertThat(err.get(0)).startsWith("sluice: invalid TLS material: " + expected);
        } finally {
            p.destroyForcibly();
        }
    }

    private static URI deadEndpoint() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }

    private static JsonObject tlsCheck() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.adminPort() + "/health/ready"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return new JsonObject(r.body()).getJsonObject("checks").getJsonObject("tls");
    }

    private static List<Future<?>> produce(int from, int to) {
        return TlsItEvents.produce(vertx, produced, "s3tls", from, to);
    }

    private static void awaitAnswers(List<Future<?>> replies) throws Exception {
        TlsItEvents.awaitAnswers(replies);
    }

    private static void produceAndAwaitDelivery(int from, int to) throws Exception {
        TlsItEvents.produceAndAwaitDelivery(
                vertx, produced, sluice.localLambda().sink(), "s3tls", from, to);
    }
}
