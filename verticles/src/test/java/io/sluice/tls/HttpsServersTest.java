package io.sluice.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.admin.AdminHttpVerticle;
import io.sluice.admin.AdminSettings;
import io.sluice.bus.Addresses;
import io.sluice.config.Cfg;
import io.sluice.http.ClientCalls;
import io.sluice.http.RawHttp;
import io.sluice.ingest.IngestSettings;
import io.sluice.ingest.IngestVerticle;
import io.sluice.kafka.KafkaSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 part 1: TLS on the ingest (mutual TLS: an allowed and a refused client certificate, none at all)
 * and on the admin server (HTTPS with the bearer token), plain HTTP refused on both; certificates made here
 * with {@link TestPki}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpsServersTest {
    private static final String TOKEN = "https-admin-token";

    @TempDir
    Path dir;

    private Vertx vertx;
    private ClientCalls calls;
    private TestPki.Issued ca;
    private TestPki.Issued rogue;
    private final List<String> produced = new CopyOnWriteArrayList<>();
    /**
     * Every client the test made, referenced until the test ends: Vert.x closes a client nobody references any more
     * (a cleaner), which failed a request in flight with "Pool closed".
     */
    private final List<HttpClient> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp(Vertx vertx) throws Exception {
        this.vertx = vertx;
        this.calls = new ClientCalls(vertx);
        ca = TestPki.ca("sluice-test-ca");
        rogue = TestPki.ca("rogue-ca");
        TestPki.Issued server = TestPki.leaf(ca, "sluice-server", 30);
        TestPki.pemCertificates(dir.resolve("server.pem"), server.chain());
        TestPki.pemKey(dir.resolve("server.key"), server.key(), null);
        TestPki.pemCertificates(dir.resolve("ca.pem"), ca.cert());
        TestPki.keystore(dir.resolve("server.p12"), server, "p12-secret");
        client("ok", ca);
        client("bad", rogue);
        vertx.eventBus()
                .<Object>localConsumer(Addresses.PRODUCE, msg -> {
                    produced.add(((Buffer) msg.body()).toString());
                    msg.reply(new JsonObject()
                            .put("status", "accepted")
                            .put("topic", "t")
                            .put("partition", 0)
                            .put("offset", 1));
                })
                .completion()
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    private void client(String name, TestPki.Issued issuer) {
        TestPki.Issued c = TestPki.leaf(issuer, name + "-client", 30);
        TestPki.pemCertificates(dir.resolve(name + ".pem"), c.chain());
        TestPki.pemKey(dir.resolve(name + ".key"), c.key(), null);
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private HttpClient https(String clientName) {
        HttpClientOptions o = new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setTrustOptions(
                        new PemTrustOptions().addCertPath(dir.resolve("ca.pem").toString()));
        if (clientName != null) {
            o.setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(dir.resolve(clientName + ".pem").toString())
                    .setKeyPath(dir.resolve(clientName + ".key").toString()));
        }
        HttpClient client = vertx.createHttpClient(o);
        clients.add(client);
        return client;
    }

    private Future<Integer> send(HttpClient c, HttpMethod m, int port, String uri, String body, String token) {
        RequestOptions ro = new RequestOptions()
                .setMethod(m)
                .setHost("localhost")
                .setPort(port)
                .setURI(uri)
                .putHeader("Content-Type", "application/json");
        if (token != null) {
            ro.putHeader("Authorization", "Bearer " + token);
        }
        return calls.on(() -> c.request(ro)
                .compose(r -> r.send(Buffer.buffer(body)))
                .compose(r -> r.body().map(b -> r.statusCode())));
    }

    private int ingest() throws Exception {
        return ingest(null);
    }

    private int ingest(JsonObject auth) throws Exception {
        JsonObject tls = new JsonObject()
                .put("enabled", true)
                .put("clientAuth", "required")
                .put("watchIntervalMs", 0)
                .put(
                        "keystore",
                        new JsonObject()
                                .put("path", dir.resolve("server.pem").toString())
                                .put("type", "PEM"))
                .put(
                        "key",
                        new JsonObject().put("path", dir.resolve("server.key").toString()))
                .put(
                        "truststore",
                        new JsonObject()
                                .put("path", dir.resolve("ca.pem").toString())
                                .put("type", "PEM"));
        JsonObject j = new JsonObject()
                .put("enabled", true)
                .put("host", "127.0.0.1")
                .put("port", 0)
                .put("tls", tls);
        if (auth != null) {
            j.put("auth", auth);
        }
        IngestVerticle v = new IngestVerticle(
                IngestSettings.from(new Cfg(j, "ingest"), Map.of()), 10_000, new SimpleMeterRegistry());
        get(vertx.deployVerticle(v));
        return v.actualPort();
    }

    @Test
    void ingestOverMutualTlsAcceptsTheAllowedCertificateAndRefusesOthers() throws Exception {
        int port = ingest();
        assertThat(get(send(https("ok"), HttpMethod.POST, port, IngestVerticle.PATH, "{\"eventId\":\"m\"}", null)))
                .isEqualTo(202);
        assertThat(produced).containsExactly("{\"eventId\":\"m\"}");
        assertThatThrownBy(() -> get(
                        send(https("bad"), HttpMethod.POST, port, IngestVerticle.PATH, "{\"eventId\":\"r\"}", null)))
                .as("a certificate of another CA")
                .isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() ->
                        get(send(https(null), HttpMethod.POST, port, IngestVerticle.PATH, "{\"eventId\":\"n\"}", null)))
                .as("no client certificate")
                .isInstanceOf(ExecutionException.class);
        assertThat(plainHttpAnswered(port)).as("plain HTTP on the TLS port").isFalse();
        assertThat(produced).hasSize(1);
    }

    @Test
    void aClientCertificateSubjectOnTheAllowListNeedsNoTokenOthersAre403() throws Exception {
        client("other", ca);
        int port = ingest(new JsonObject()
                .put("enabled", true)
                .put("allowedSubjects", new io.vertx.core.json.JsonArray().add("CN=ok-client")));
        assertThat(get(send(https("ok"), HttpMethod.POST, port, IngestVerticle.PATH, "{\"eventId\":\"s\"}", null)))
                .isEqualTo(202);
        assertThat(get(send(https("other"), HttpMethod.POST, port, IngestVerticle.PATH, "{\"eventId\":\"o\"}", null)))
                .as("trusted CA, subject not on the list")
                .isEqualTo(403);
        assertThat(produced).containsExactly("{\"eventId\":\"s\"}");
    }

    @Test
    void adminOverTlsWithTheToken() throws Exception {
        JsonObject tls = new JsonObject()
                .put("enabled", true)
                .put("watchIntervalMs", 0)
                .put(
                        "keystore",
                        new JsonObject()
                                .put("path", dir.resolve("server.p12").toString())
                                .put("type", "PKCS12")
                                .put("passwordEnv", "ADMIN_P12_PASSWORD"));
        JsonObject a = new JsonObject()
                .put("enabled", true)
                .put("host", "127.0.0.1")
                .put("port", 0)
                .put("token", TOKEN)
                .put("tls", tls);
        AdminSettings settings = AdminSettings.from(new Cfg(a, "admin"), Map.of("ADMIN_P12_PASSWORD", "p12-secret"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KafkaSettings kafka =
                KafkaSettings.from(new Cfg(new JsonObject().put("bootstrapServers", "127.0.0.1:1"), "kafka"));
        AdminHttpVerticle admin = new AdminHttpVerticle(
                settings, new AdminHttpVerticle.Targets(List.of(), registry, kafka, false, false));
        get(vertx.deployVerticle(admin));
        int port = admin.actualPort();
        HttpClient c = https(null);
        assertThat(get(send(c, HttpMethod.POST, port, "/api/consumer/pause", "", TOKEN)))
                .isEqualTo(200);
        assertThat(get(send(c, HttpMethod.POST, port, "/api/consumer/pause", "", null)))
                .isEqualTo(401);
        assertThat(get(send(c, HttpMethod.GET, port, "/health/live", "", null))).isEqualTo(200);
        assertThat(plainHttpAnswered(port)).as("plain HTTP on the TLS port").isFalse();
    }

    @Test
    void badServerMaterialFailsTheStartNamingTheKey() {
        JsonObject tls = new JsonObject()
                .put("enabled", true)
                .put(
                        "keystore",
                        new JsonObject()
                                .put("path", dir.resolve("missing.pem").toString())
                                .put("type", "PEM"));
        JsonObject j = new JsonObject().put("enabled", true).put("port", 0).put("tls", tls);
        IngestVerticle v = new IngestVerticle(
                IngestSettings.from(new Cfg(j, "ingest"), Map.of()), 10_000, new SimpleMeterRegistry());
        assertThatThrownBy(() -> get(vertx.deployVerticle(v)))
                .hasRootCauseInstanceOf(TlsMaterialException.class)
                .rootCause()
                .hasMessageContaining("ingest.tls.keystore.path");
    }

    /** Whether a plain HTTP request on {@code port} gets an HTTP answer (it must not, with TLS on). */
    private static boolean plainHttpAnswered(int port) throws IOException {
        try (RawHttp c = new RawHttp(port, 5_000)) {
            c.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            RawHttp.Response r = c.read();
            return r.status() > 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
