package io.sluice.launcher.tls;

import io.sluice.embedded.EmbeddedKafkaOptions;
import io.sluice.embedded.ListenerSpec;
import io.sluice.tls.TestPki;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Shared set-up of the TLS integration tests: a broker SSL listener with mTLS, and client configs. */
final class TlsTestSupport {
    static final String BROKER_PW = "broker-secret";
    static final String CLIENT_PW = "client-secret";
    static final String TRUST_PW = "trust-secret";
    /** The environment the launcher resolves {@code passwordEnv} against (names without the SLUICE_ prefix). */
    static final Map<String, String> ENV = Map.of(
            "KAFKA_KEYSTORE_PASSWORD",
            CLIENT_PW,
            "KAFKA_TRUSTSTORE_PASSWORD",
            TRUST_PW,
            "KAFKA_WRONG_PASSWORD",
            "not-the-password");

    private TlsTestSupport() {}

    /** An embedded broker with an SSL listener (client certificate required) using {@code broker}'s material. */
    static EmbeddedKafkaOptions.Builder sslBroker(Path dir, TestPki.Issued ca, TestPki.Issued broker) {
        Path ks = TestPki.keystore(dir.resolve("broker.p12"), broker, BROKER_PW);
        Path ts = TestPki.truststore(dir.resolve("broker-trust.p12"), BROKER_PW, ca.cert());
        String p = "listener.name.ssl.";
        return EmbeddedKafkaOptions.builder()
                .additionalListener(ListenerSpec.of("SSL"))
                .brokerProperty(p + "ssl.keystore.type", "PKCS12")
                .brokerProperty(p + "ssl.keystore.location", ks.toString())
                .brokerProperty(p + "ssl.keystore.password", BROKER_PW)
                .brokerProperty(p + "ssl.key.password", BROKER_PW)
                .brokerProperty(p + "ssl.truststore.type", "PKCS12")
                .brokerProperty(p + "ssl.truststore.location", ts.toString())
                .brokerProperty(p + "ssl.truststore.password", BROKER_PW)
                .brokerProperty(p + "ssl.client.auth", "required");
    }

    /** {@code kafka.tls} with a PKCS12 key store and trust store, passwords from {@link #ENV}. */
    static JsonObject pkcs12Tls(Path keystore, Path truststore, String keystorePasswordEnv) {
        return new JsonObject()
                .put("enabled", true)
                .put(
                        "keystore",
                        new JsonObject()
                                .put("path", keystore.toString())
                                .put("type", "PKCS12")
                                .put("passwordEnv", keystorePasswordEnv))
                .put(
                        "truststore",
                        new JsonObject()
                                .put("path", truststore.toString())
                                .put("type", "PKCS12")
                                .put("passwordEnv", "KAFKA_TRUSTSTORE_PASSWORD"))
                .put("watchIntervalMs", 300);
    }

    static Path confDir() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("conf"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("conf/ not found");
        }
        return p.resolve("conf");
    }

    /**
     * conf/local.json against an external broker ({@code bootstrap}) with {@code tls}: no embedded broker, no
     * generator, free ports, status line off, small linger.
     */
    static JsonObject config(String bootstrap, JsonObject tls) {
        try {
            JsonObject c = new JsonObject(Files.readString(confDir().resolve("local.json")));
            c.getJsonObject("embedded").put("enabled", false);
            c.getJsonObject("kafka").put("bootstrapServers", bootstrap).put("tls", tls);
            c.getJsonObject("generator").put("enabled", false);
            c.getJsonObject("ingest").put("enabled", false).put("port", 0);
            c.getJsonObject("admin").put("port", 0);
            c.getJsonObject("status").put("intervalMs", 0);
            JsonArray ps = c.getJsonArray("pipelines");
            ps.getJsonObject(0).getJsonObject("batch").put("maxWaitMs", 100);
            ps.getJsonObject(0).put("commitIntervalMs", 500);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
