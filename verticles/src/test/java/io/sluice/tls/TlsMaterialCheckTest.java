package io.sluice.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.kafka.KafkaSettings;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialCheckTest {
    private static final Map<String, String> ENV =
            Map.of("KS_PW", "ks-secret", "TS_PW", "ts-secret", "KEY_PW", "key-secret", "WRONG_PW", "nope-nope");
    private static TestPki.Issued ca;
    private static TestPki.Issued client;

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        ca = TestPki.ca("Test CA");
        client = TestPki.leaf(ca, "sluice-client", 100);
    }

    private static Clock at(Instant i) {
        return Clock.fixed(i, ZoneOffset.UTC);
    }

    private TlsSettings settings(JsonObject tls) {
        return TlsSettings.from(new Cfg(tls.put("enabled", true), "kafka.tls"), ENV);
    }

    private TlsSettings pkcs12(String ksEnv) {
        TestPki.keystore(dir.resolve("client.p12"), client, "ks-secret");
        TestPki.truststore(dir.resolve("trust.p12"), "ts-secret", ca.cert());
        return settings(new JsonObject()
                .put(
                        "keystore",
                        new JsonObject()
                                .put("path", dir.resolve("client.p12").toString())
                                .put("passwordEnv", ksEnv))
                .put(
                        "truststore",
                        new JsonObject()
                                .put("path", dir.resolve("trust.p12").toString())
                                .put("passwordEnv", "TS_PW")));
    }

    private TlsSettings pem(TestPki.Issued cert, java.security.PrivateKey key, String keyPassword) {
        TestPki.pemCertificates(dir.resolve("client.crt"), cert.chain());
        TestPki.pemKey(dir.resolve("client.key"), key, keyPassword);
        TestPki.pemCertificates(dir.resolve("ca.pem"), ca.cert());
        JsonObject k = new JsonObject().put("path", dir.resolve("client.key").toString());
        if (keyPassword != null) {
            k.put("passwordEnv", "KEY_PW");
        }
        return settings(new JsonObject()
                .put(
                        "keystore",
                        new JsonObject()
                                .put("path", dir.resolve("client.crt").toString())
                                .put("type", "PEM"))
                .put("key", k)
                .put(
                        "truststore",
                        new JsonObject()
                                .put("path", dir.resolve("ca.pem").toString())
                                .put("type", "PEM")));
    }

    @Test
    void validPkcs12PassesAndReportsDaysToExpiry() {
        TlsMaterialCheck.Report r = TlsMaterialCheck.check(pkcs12("KS_PW"), Clock.systemUTC());
        assertThat(r.clientSubject()).isEqualTo("CN=sluice-client");
        assertThat(r.daysToExpiry()).isBetween(99L, 100L);
        assertThat(r.trustedCas()).isEqualTo(1);
        assertThat(r.warnings()).isEmpty();
        assertThat(r.fingerprint()).hasSize(64);
    }

    @Test
    void warnsWithinExpiryWarnDays() {
        TlsMaterialCheck.Report r =
                TlsMaterialCheck.check(pkcs12("KS_PW"), at(Instant.now().plus(Duration.ofDays(80))));
        assertThat(r.daysToExpiry()).isBetween(19L, 20L);
        assertThat(r.warnings())
                .singleElement()
                .asString()
                .contains("expires in")
                .contains("expiryWarnDays=30");
    }

    @Test
    void expiredCertificateNamesTheKeyAndTheDate() {
        TlsSettings s = pkcs12("KS_PW");
        assertThatThrownBy(() -> TlsMaterialCheck.check(s, at(Instant.now().plus(Duration.ofDays(101)))))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageStartingWith("kafka.tls.keystore.path: client certificate 'CN=sluice-client' expired on ");
    }

    @Test
    void notYetValidCertificate() {
        TlsSettings s = pkcs12("KS_PW");
        assertThatThrownBy(() -> TlsMaterialCheck.check(s, at(Instant.now().minus(Duration.ofDays(2)))))
                .hasMessageStartingWith(
                        "kafka.tls.keystore.path: client certificate 'CN=sluice-client' is not valid yet");
    }

    @Test
    void wrongKeystorePassword() {
        TlsSettings s = pkcs12("WRONG_PW");
        assertThatThrownBy(() -> TlsMaterialCheck.check(s, Clock.systemUTC()))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessage("kafka.tls.keystore.passwordEnv: wrong password for '" + dir.resolve("client.p12")
                        + "' (environment variable WRONG_PW)");
    }

    @Test
    void missingFile() throws Exception {
        TlsSettings s = pkcs12("KS_PW");
        Files.delete(dir.resolve("trust.p12"));
        assertThatThrownBy(() -> TlsMaterialCheck.check(s, Clock.systemUTC()))
                .hasMessage("kafka.tls.truststore.path: file '" + dir.resolve("trust.p12") + "' does not exist");
    }

    @Test
    void unreadableFile() throws Exception {
        TlsSettings s = pkcs12("KS_PW");
        Path ks = dir.resolve("client.p12");
        Files.setPosixFilePermissions(ks, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        org.junit.jupiter.api.Assumptions.assumeFalse(
                Files.isReadable(ks), "running as root: permissions are not enforced");
        assertThatThrownBy(() -> TlsMaterialCheck.check(s, Clock.systemUTC())).hasMessageContaining("is not readable");
    }

    @Test
    void pemWithSeparateKeyPassesAndMaterializesOneFileForKafka() throws Exception {
        TlsSettings s = pem(client, client.key(), null);
        TlsMaterialCheck.Report r = TlsMaterialCheck.check(s, Clock.systemUTC());
        assertThat(r.clientSubject()).isEqualTo("CN=sluice-client");
        assertThat(s.clientProperties())
                .containsEntry("ssl.keystore.type", "PEM")
                .containsEntry("ssl.keystore.location", s.combinedPemKeystore().toString())
                .doesNotContainKey("ssl.keystore.password");
        TlsMaterial.materialize(s);
        String combined = Files.readString(s.combinedPemKeystore());
        assertThat(combined).contains("BEGIN PRIVATE KEY").contains("BEGIN CERTIFICATE");
    }

    @Test
    void encryptedPemKeyWithRightAndWrongPassword() {
        TlsSettings ok = pem(client, client.key(), "key-secret");
        assertThat(TlsMaterialCheck.check(ok, Clock.systemUTC()).clientSubject())
                .isEqualTo("CN=sluice-client");
        assertThat(ok.clientProperties()).containsEntry("ssl.key.password", "key-secret");
        TlsSettings wrong = pem(client, client.key(), "not-the-password");
        assertThatThrownBy(() -> TlsMaterialCheck.check(wrong, Clock.systemUTC()))
                .hasMessageStartingWith("kafka.tls.key.passwordEnv: wrong password for the private key in");
    }

    @Test
    void keyThatDoesNotMatchTheCertificate() {
        TlsSettings s = pem(client, TestPki.keyPair().getPrivate(), null);
        assertThatThrownBy(() -> TlsMaterialCheck.check(s, Clock.systemUTC()))
                .hasMessage(
                        "kafka.tls.key.path: the private key does not match the client certificate 'CN=sluice-client'");
    }

    @Test
    void truststoreWithOnlyExpiredCas() {
        TestPki.Issued old = TestPki.ca(
                "Old CA",
                Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)));
        TlsSettings s = pkcs12("KS_PW");
        TestPki.truststore(dir.resolve("trust.p12"), "ts-secret", old.cert());
        assertThatThrownBy(() -> TlsMaterialCheck.check(s, Clock.systemUTC()))
                .hasMessageContaining("kafka.tls.truststore.path: no certificate in")
                .hasMessageContaining("is valid now");
    }

    @Test
    void configValidationNamesTheKey() {
        assertThatThrownBy(() -> settings(new JsonObject().put("keystore", new JsonObject().put("path", "/x.p12"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kafka.tls.keystore.passwordEnv: is required");
        assertThatThrownBy(() -> settings(new JsonObject()
                        .put("keystore", new JsonObject().put("path", "/x.p12").put("passwordEnv", "UNSET_VAR"))))
                .hasMessage("kafka.tls.keystore.passwordEnv: environment variable UNSET_VAR is not set");
        assertThatThrownBy(() -> settings(new JsonObject()
                        .put(
                                "truststore",
                                new JsonObject()
                                        .put("path", "/ca.pem")
                                        .put("type", "PEM")
                                        .put("passwordEnv", "TS_PW"))))
                .hasMessageStartingWith("kafka.tls.truststore.passwordEnv: is not allowed for type PEM");
        assertThatThrownBy(() -> settings(new JsonObject()
                        .put("keystore", new JsonObject().put("path", "/x.p12").put("password", "in-the-file"))))
                .hasMessageStartingWith("kafka.tls.keystore.password: unknown key");
        assertThatThrownBy(() -> settings(new JsonObject()
                        .put("keystore", new JsonObject().put("path", "/x.p12").put("type", "JKS"))))
                .hasMessageContaining("kafka.tls.keystore.type: must be one of");
    }

    @Test
    void clientPropertiesAndRedaction() {
        TlsSettings s = pkcs12("KS_PW");
        Map<String, String> p = s.clientProperties();
        assertThat(p)
                .containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.endpoint.identification.algorithm", "https")
                .containsEntry("ssl.keystore.type", "PKCS12")
                .containsEntry("ssl.keystore.password", "ks-secret")
                .containsEntry("ssl.key.password", "ks-secret")
                .containsEntry("ssl.truststore.password", "ts-secret");
        KafkaSettings k = new KafkaSettings("b:9092", Map.of("linger.ms", "5"), List.of(), false).withTls(s);
        assertThat(k.clientProperties())
                .containsEntry("security.protocol", "SSL")
                .containsEntry("linger.ms", "5");
        assertThat(k.toString())
                .doesNotContain("ks-secret")
                .doesNotContain("ts-secret")
                .contains(Secrets.MASK);
        assertThat(s.toString()).doesNotContain("ks-secret");
        assertThatThrownBy(() -> new KafkaSettings("b:9092", Map.of("ssl.truststore.location", "/t"), List.of(), false)
                        .withTls(s))
                .hasMessageStartingWith("kafka.clientProperties.ssl.truststore.location: conflicts with kafka.tls");
    }

    @Test
    void disabledMeansNoProperties() {
        TlsSettings s = TlsSettings.from(new Cfg(new JsonObject(), "kafka.tls"), Map.of());
        assertThat(s.enabled()).isFalse();
        assertThat(s.clientProperties()).isEmpty();
    }
}
