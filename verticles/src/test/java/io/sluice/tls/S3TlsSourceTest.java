package io.sluice.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 source's decisions with a fake S3 (no I/O but the local files): ETag polling (a GetObject only for a changed
 * ETag), material checked before it is written, atomic replacement of the local copies (0600 in a 0700 directory, no
 * temporary file left), S3 down at start (fails naming the key) and during polling (current material kept, the
 * readiness detail shows the age of the last successful fetch).
 */
@Timeout(30)
class S3TlsSourceTest {
    private static TestPki.Issued ca;

    @TempDir
    Path dir;

    private final FakeS3 s3 = new FakeS3();
    private final MutableClock clock = new MutableClock(Instant.now());
    private S3TlsSource source;

    @BeforeAll
    static void pki() {
        ca = TestPki.ca("S3 Test CA");
    }

    @AfterEach
    void close() {
        if (source != null) {
            source.close();
        }
    }

    private static TlsSettings settings() {
        JsonObject tls = new JsonObject()
                .put("enabled", true)
                .put(
                        "keystore",
                        new JsonObject()
                                .put("path", "s3://certs/kafka/client.crt")
                                .put("type", "PEM"))
                .put("key", new JsonObject().put("path", "s3://certs/kafka/client.key"))
                .put(
                        "truststore",
                        new JsonObject().put("path", "s3://certs/kafka/ca.pem").put("type", "PEM"))
                .put("s3", new JsonObject().put("region", "eu-west-1"));
        return TlsSettings.from(new Cfg(tls, "kafka.tls"), Map.of());
    }

    private void upload(TestPki.Issued client) throws Exception {
        s3.put("kafka/client.crt", pem(client.chain()));
        s3.put("kafka/client.key", TestPki.pemKeyText(client.key(), null).getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] pem(java.security.cert.X509Certificate... certs) throws Exception {
        return Files.readAllBytes(TestPki.pemCertificates(Files.createTempFile(dir, "pem", ".pem"), certs));
    }

    private S3TlsSource start(TlsSettings s) {
        source = S3TlsSource.start(s, clock, settings -> s3);
        return source;
    }

    @Test
    void startFetchesChecksAndWritesPrivateCopies() throws Exception {
        upload(TestPki.leaf(ca, "s3-client", 100));
        s3.put("kafka/ca.pem", pem(ca.cert()));
        TlsSettings s = settings();

        start(s);

        assertThat(s.keystore().path()).isNotEqualTo(Path.of("s3://certs/kafka/client.crt"));
        assertThat(TlsMaterialCheck.check(s, clock).clientSubject()).isEqualTo("CN=s3-client");
        for (TlsSettings.Store st : s.s3Stores()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(st.path())))
                    .as(st.configKey())
                    .isEqualTo("rw-------");
        }
        Path copies = s.keystore().path().getParent();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copies)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.workDir())))
                .isEqualTo("rwx------");
        assertThat(s.clientProperties())
                .containsEntry("ssl.truststore.location", s.truststore().path().toString());
        assertThat(source.readinessDetail())
                .isEqualTo("material from S3, last successful fetch 0 s ago (" + clock.instant() + ")");
    }

    @Test
    void anUnchangedEtagCostsOneHeadAndNoGet() throws Exception {
        upload(TestPki.leaf(ca, "s3-client", 100));
        s3.put("kafka/ca.pem", pem(ca.cert()));
        TlsSettings s = settings();
        start(s);
        byte[] before = Files.readAllBytes(s.keystore().path());
        int gets = s3.gets.get();

        assertThat(source.sync()).isFalse();
        assertThat(source.sync()).isFalse();

        assertThat(s3.gets.get()).as("GetObject calls after the start").isEqualTo(gets);
        assertThat(s3.heads.get()).as("HeadObject calls: 3 objects x 2 polls").isEqualTo(6);
        assertThat(Files.readAllBytes(s.keystore().path())).isEqualTo(before);
    }

    @Test
    void aNewObjectIsCheckedAndReplacesTheLocalCopyAtomically() throws Exception {
        upload(TestPki.leaf(ca, "s3-client", 100));
        s3.put("kafka/ca.pem", pem(ca.cert()));
        TlsSettings s = settings();
        start(s);
        String fingerprint = TlsMaterial.fingerprint(s);
        int gets = s3.gets.get();

        upload(TestPki.leaf(ca, "s3-client-rotated", 200));
        assertThat(source.sync()).isTrue();

        assertThat(s3.gets.get() - gets)
                .as("only the two changed objects are fetched")
                .isEqualTo(2);
        assertThat(TlsMaterial.fingerprint(s)).as("what the file watcher sees").isNotEqualTo(fingerprint);
        assertThat(TlsMaterialCheck.check(s, clock).clientSubject()).isEqualTo("CN=s3-client-rotated");
        try (Stream<Path> files = Files.list(s.keystore().path().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary file left")
                    .containsExactlyInAnyOrder("keystore.pem", "key.pem", "truststore.pem");
        }
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(s.keystore().path())))
                .isEqualTo("rw-------");
        assertThat(source.sync()).as("nothing new").isFalse();
    }

    @Test
    void materialFailingTheChecksIsNotWrittenAndIsReportedOnce() throws Exception {
        upload(TestPki.leaf(ca, "s3-client", 100));
        s3.put("kafka/ca.pem", pem(ca.cert()));
        TlsSettings s = settings();
        start(s);
        AtomicInteger rejected = new AtomicInteger();
        source.onRejected(rejected::incrementAndGet);
        byte[] cert = Files.readAllBytes(s.keystore().path());

        // half a rotation: a new certificate whose key is not uploaded yet
        s3.put(
                "kafka/client.crt",
                pem(TestPki.leaf(ca, "s3-client-rotated", 200).chain()));
        assertThat(source.sync()).isFalse();
        assertThat(source.sync()).isFalse();

        assertThat(rejected.get()).as("once per combination of ETags").isEqualTo(1);
        assertThat(Files.readAllBytes(s.keystore().path()))
                .as("the current copy is kept")
                .isEqualTo(cert);
        assertThat(TlsMaterialCheck.check(s, clock).clientSubject()).isEqualTo("CN=s3-client");
        assertThat(source.readinessDetail())
                .contains("newest S3 material refused: kafka.tls.key.path: the private key "
                        + "does not match the client certificate 'CN=s3-client-rotated'");
        try (Stream<Path> files = Files.list(s.keystore().path().getParent())) {
            assertThat(files.count()).as("no temporary file left").isEqualTo(3);
        }

        // the key follows: the pair passes and is written
        TestPki.Issued rotated = TestPki.leaf(ca, "s3-client-rotated-2", 200);
        upload(rotated);
        assertThat(source.sync()).isTrue();
        assertThat(TlsMaterialCheck.check(s, clock).clientSubject()).isEqualTo("CN=s3-client-rotated-2");
        assertThat(source.readinessDetail()).doesNotContain("refused");
    }

    @Test
    void s3DownWhilePollingKeepsTheMaterialAndShowsTheAgeOfTheLastFetch() throws Exception {
        upload(TestPki.leaf(ca, "s3-client", 100));
        s3.put("kafka/ca.pem", pem(ca.cert()));
        TlsSettings s = settings();
        start(s);
        Instant fetched = clock.instant();
        byte[] cert = Files.readAllBytes(s.keystore().path());

        s3.down = true;
        clock.advance(Duration.ofSeconds(42));
        assertThat(source.sync()).isFalse();

        assertThat(source.failing()).isTrue();
        assertThat(Files.readAllBytes(s.keystore().path())).isEqualTo(cert);
        assertThat(source.readinessDetail())
                .isEqualTo("S3 unavailable since " + clock.instant()
                        + " (HeadObject s3://certs/kafka/client.crt: S3 not reachable (Connection refused)): keeping the current "
                        + "material, last successful fetch 42 s ago (" + fetched + ")");

        s3.down = false;
        clock.advance(Duration.ofSeconds(1));
        assertThat(source.sync()).isFalse();
        assertThat(source.failing()).isFalse();
        assertThat(source.readinessDetail()).startsWith("material from S3, last successful fetch 0 s ago");
    }

    @Test
    void s3DownAtStartFailsNamingTheKeyAndTheObject() {
        s3.down = true;
        assertThatThrownBy(() -> start(settings()))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessage("kafka.tls.keystore.path: cannot fetch s3://certs/kafka/client.crt from S3: GetObject "
                        + "s3://certs/kafka/client.crt: S3 not reachable (Connection refused)");
        source = null;
        assertThat(s3.closed).as("the client is closed").isTrue();
    }

    @Test
    void badMaterialAtStartFailsNamingTheS3ObjectNotTheTemporaryFile() throws Exception {
        upload(TestPki.leaf(ca, "s3-client", 100));
        s3.put("kafka/ca.pem", "not a certificate".getBytes(StandardCharsets.US_ASCII));
        TlsSettings s = settings();
        assertThatThrownBy(() -> start(s))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessage("kafka.tls.truststore.path: 's3://certs/kafka/ca.pem' contains no trusted certificate");
        source = null;
        assertThat(Files.exists(s.keystore().path())).as("nothing written").isFalse();
    }

    @Test
    void s3PathsAreRefusedForTheHttpServersAndMustNameABucketAndAKey() {
        JsonObject ingest = new JsonObject()
                .put(
                        "tls",
                        new JsonObject()
                                .put("enabled", true)
                                .put(
                                        "keystore",
                                        new JsonObject()
                                                .put("path", "s3://certs/server.p12")
                                                .put("passwordEnv", "PW")));
        assertThatThrownBy(() -> ServerTls.from(new Cfg(ingest, "ingest"), Map.of("PW", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "ingest.tls.keystore.path: s3:// paths are supported for kafka.tls only, got 's3://certs/server.p12'");
        JsonObject tls = new JsonObject()
                .put("enabled", true)
                .put("truststore", new JsonObject().put("path", "s3://certs/").put("type", "PEM"));
        assertThatThrownBy(() -> TlsSettings.from(new Cfg(tls, "kafka.tls"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "kafka.tls.truststore.path: must be s3://bucket/key (a bucket and an object key), got 's3://certs/'");
        JsonObject endpoint =
                new JsonObject().put("enabled", true).put("s3", new JsonObject().put("endpoint", "ftp://x"));
        assertThatThrownBy(() -> TlsSettings.from(new Cfg(endpoint, "kafka.tls"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("kafka.tls.s3.endpoint: must be an http(s)://host[:port] URI, got 'ftp://x'");
    }

    /** S3 in memory: ETags change with every put, as S3's do with the content. */
    private static final class FakeS3 implements S3Objects {
        private final Map<String, Fetched> objects = new HashMap<>();
        private int version;
        final AtomicInteger heads = new AtomicInteger();
        final AtomicInteger gets = new AtomicInteger();
        volatile boolean down;
        volatile boolean closed;

        synchronized void put(String key, byte[] bytes) {
            objects.put(key, new Fetched(bytes, "\"etag-" + (++version) + "\""));
        }

        @Override
        public synchronized String etag(S3Location l) {
            heads.incrementAndGet();
            return find("HeadObject", l).etag();
        }

        @Override
        public synchronized Fetched get(S3Location l) {
            gets.incrementAndGet();
            return find("GetObject", l);
        }

        private Fetched find(String call, S3Location l) {
            assertThat(l.bucket()).isEqualTo("certs");
            if (down) {
                throw new Unavailable(call + " " + l + ": S3 not reachable (Connection refused)");
            }
            Fetched f = objects.get(l.key());
            if (f == null) {
                throw new Unavailable(call + " " + l + ": no such object");
            }
            return f;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
