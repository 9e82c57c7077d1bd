package io.sluice.launcher.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.launcher.OutputPump;
import io.sluice.tls.TestPki;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar, started as a user would with bad TLS material and no broker to talk to ({@code embedded.enabled=false}):
 * it prints one line {@code sluice: invalid TLS material: <key>: <problem>} and exits 2, in under 5 s. The
 * untrusted-CA case needs something to shake hands with: a plain JSSE server presenting a certificate from
 * another CA stands in for the broker.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsFastExitIT {
    private static final String NO_BROKER = "127.0.0.1:9";

    @TempDir
    static Path dir;

    private static TestPki.Issued ca;
    private static Path truststore;
    private static SSLServerSocket fakeBroker;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.ca("Sluice Test CA");
        truststore = TestPki.truststore(dir.resolve("trust.p12"), TlsTestSupport.TRUST_PW, ca.cert());
        // a "broker" whose certificate comes from a CA the client does not trust
        TestPki.Issued other = TestPki.ca("Unknown CA");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        TestPki.Issued brokerCert = TestPki.leaf(other, "fake-broker", 30);
        ks.setKeyEntry("broker", brokerCert.key(), "pw".toCharArray(), brokerCert.chain());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        fakeBroker = (SSLServerSocket)
                ctx.getServerSocketFactory().createServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(
                () -> {
                    while (!fakeBroker.isClosed()) {
                        try (SSLSocket s = (SSLSocket) fakeBroker.accept()) {
                            s.setSoTimeout(5_000);
                            s.startHandshake();
                        } catch (IOException ignored) {
                            // the client refuses our certificate: expected
                        }
                    }
                },
                "fake-tls-broker");
        t.setDaemon(true);
        t.start();
    }

    @AfterAll
    static void close() throws IOException {
        if (fakeBroker != null) {
            fakeBroker.close();
        }
    }

    @Test
    void expiredCertificate() throws Exception {
        TestPki.Issued expired = TestPki.leaf(
                ca,
                "expired-client",
                Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(2)));
        Path ks = TestPki.keystore(dir.resolve("expired.p12"), expired, TlsTestSupport.CLIENT_PW);
        String line = runExpectingExit2(TlsTestSupport.pkcs12Tls(ks, truststore, "KAFKA_KEYSTORE_PASSWORD"), NO_BROKER);
        assertThat(line)
                .startsWith("sluice: invalid TLS material: kafka.tls.keystore.path: client certificate "
                        + "'CN=expired-client' expired on ");
    }

    @Test
    void notYetValidCertificate() throws Exception {
        TestPki.Issued future = TestPki.leaf(
                ca,
                "future-client",
                Instant.now().plus(Duration.ofDays(2)),
                Instant.now().plus(Duration.ofDays(30)));
        Path ks = TestPki.keystore(dir.resolve("future.p12"), future, TlsTestSupport.CLIENT_PW);
        String line = runExpectingExit2(TlsTestSupport.pkcs12Tls(ks, truststore, "KAFKA_KEYSTORE_PASSWORD"), NO_BROKER);
        assertThat(line)
                .startsWith("sluice: invalid TLS material: kafka.tls.keystore.path: client certificate "
                        + "'CN=future-client' is not valid yet");
    }

    @Test
    void wrongPassword() throws Exception {
        Path ks =
                TestPki.keystore(dir.resolve("client.p12"), TestPki.leaf(ca, "client", 100), TlsTestSupport.CLIENT_PW);
        String line = runExpectingExit2(TlsTestSupport.pkcs12Tls(ks, truststore, "KAFKA_WRONG_PASSWORD"), NO_BROKER);
        assertThat(line)
                .isEqualTo("sluice: invalid TLS material: kafka.tls.keystore.passwordEnv: wrong password for '" + ks
                        + "' (environment variable KAFKA_WRONG_PASSWORD)");
    }

    @Test
    void missingFile() throws Exception {
        Path missing = dir.resolve("nowhere.p12");
        String line =
                runExpectingExit2(TlsTestSupport.pkcs12Tls(missing, truststore, "KAFKA_KEYSTORE_PASSWORD"), NO_BROKER);
        assertThat(line)
                .isEqualTo(
                        "sluice: invalid TLS material: kafka.tls.keystore.path: file '" + missing + "' does not exist");
    }

    @Test
    void keyThatDoesNotMatchTheCertificate() throws Exception {
        Path crt = TestPki.pemCertificates(
                dir.resolve("client.crt"), TestPki.leaf(ca, "pem-client", 100).chain());
        Path key = TestPki.pemKey(dir.resolve("other.key"), TestPki.keyPair().getPrivate(), null);
        JsonObject tls = new JsonObject()
                .put("enabled", true)
                .put("keystore", new JsonObject().put("path", crt.toString()).put("type", "PEM"))
                .put("key", new JsonObject().put("path", key.toString()))
                .put(
                        "truststore",
                        new JsonObject()
                                .put(
                                        "path",
                                        TestPki.pemCertificates(dir.resolve("ca.pem"), ca.cert())
                                                .toString())
                                .put("type", "PEM"));
        String line = runExpectingExit2(tls, NO_BROKER);
        assertThat(line)
                .isEqualTo("sluice: invalid TLS material: kafka.tls.key.path: the private key does not match "
                        + "the client certificate 'CN=pem-client'");
    }

    @Test
    void brokerSignedByACaOutsideTheTruststore() throws Exception {
        Path ks = TestPki.keystore(dir.resolve("ok.p12"), TestPki.leaf(ca, "client", 100), TlsTestSupport.CLIENT_PW);
        String broker = "127.0.0.1:" + fakeBroker.getLocalPort();
        String line = runExpectingExit2(TlsTestSupport.pkcs12Tls(ks, truststore, "KAFKA_KEYSTORE_PASSWORD"), broker);
        assertThat(line)
                .isEqualTo("sluice: invalid TLS material: kafka.tls.truststore.path: the broker at " + broker
                        + " presents a certificate signed by 'CN=Unknown CA', which is not trusted by '" + truststore
                        + "'");
    }

    /** Runs the jar; asserts exit code 2 within 5 s and exactly one line on stderr, which it returns. */
    private static String runExpectingExit2(JsonObject tls, String bootstrap) throws Exception {
        JsonObject conf = TlsTestSupport.config(bootstrap, tls);
        conf.getJsonObject("admin").put("enabled", false);
        Path file = Files.createTempFile(dir, "conf", ".json");
        Files.writeString(file, conf.encodePrettily());
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar().toString(),
                "--config",
                file.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SLUICE_"));
        pb.environment().putAll(TlsTestSupport.ENV);
        long t0 = System.nanoTime();
        Process p = pb.start();
        List<String> err = new CopyOnWriteArrayList<>();
        Thread errPump = OutputPump.start(p.getErrorStream(), err, "TlsFastExitIT");
        OutputPump.start(p.getInputStream(), new CopyOnWriteArrayList<>(), "TlsFastExitIT");
        try {
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("exits").isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            errPump.join(5_000);
            assertThat(p.exitValue()).as("exit code; stderr " + err).isEqualTo(2);
            assertThat(err).as("stderr").hasSize(1);
            assertThat(took).as("time to exit").isLessThan(Duration.ofSeconds(5));
            return err.get(0);
        } finally {
            p.destroyForcibly();
        }
    }

    private static Path jar() {
        Path jar =
                Path.of(System.getProperty("sluice.jar", "target/sluice.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("fat jar not built: " + jar);
        }
        return jar;
    }
}
