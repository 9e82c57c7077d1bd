package io.sluice.launcher.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.consumer.ConsumerVerticle;
import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.launcher.Sluice;
import io.sluice.launcher.SluiceConfig;
import io.sluice.tls.TestPki;
import io.sluice.tls.TlsMaterialException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * Real mutual TLS: an embedded broker with an SSL listener that requires a client certificate, certificates
 * from a test CA (BouncyCastle). A valid client produces and consumes end to end; a rotated client
 * certificate is picked up without a restart; bad material fails the start at once with its one-line message.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsPipelineIT {
    @TempDir
    static Path dir;

    private static TestPki.Issued ca;
    private static EmbeddedKafkaCluster cluster;
    private static Vertx vertx;
    private static Sluice sluice;
    private static PrometheusMeterRegistry registry;
    private static final List<String> produced = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        ca = TestPki.ca("Sluice Test CA");
        TestPki.Issued broker = TestPki.leaf(ca, "broker", 30);
        cluster = EmbeddedKafkaCluster.start(
                TlsTestSupport.sslBroker(dir, ca, broker).heap("256m", "512m").build());
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sluice != null) {
            sluice.stopBlocking(Duration.ofSeconds(60));
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String bootstrap() {
        return cluster.bootstrapServers("SSL");
    }

    private static Path clientKeystore(String name, TestPki.Issued cert) {
        return TestPki.keystore(dir.resolve(name), cert, TlsTestSupport.CLIENT_PW);
    }

    private static Path truststore(String name, TestPki.Issued trusted) {
        return TestPki.truststore(dir.resolve(name), TlsTestSupport.TRUST_PW, trusted.cert());
    }

    @Test
    @Order(1)
    void validClientProducesAndConsumesEndToEndOverMutualTls() throws Exception {
        Path ks = clientKeystore("client.p12", TestPki.leaf(ca, "sluice-client", 100));
        JsonObject tls = TlsTestSupport.pkcs12Tls(ks, truststore("trust.p12", ca), "KAFKA_KEYSTORE_PASSWORD");
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        sluice = new Sluice(
                vertx, SluiceConfig.fromJson(TlsTestSupport.config(bootstrap(), tls), TlsTestSupport.ENV), registry);
        sluice.start().toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
        assertThat(sluice.config().kafka().clientProperties()).containsEntry("security.protocol", "SSL");

        produceAndAwaitDelivery(0, 200);

        assertThat(registry.get("sluice.tls.client.cert.days.to.expiry").gauge().value())
                .isBetween(99.0, 100.0);
        HttpResponse<String> ready = await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(300))
                .until(this::readiness, r -> r.statusCode() == 200);
        JsonObject body = new JsonObject(ready.body());
        assertThat(body.getJsonObject("checks").getJsonObject("tls").getBoolean("ok"))
                .isTrue();
        assertThat(body.getJsonObject("checks").getJsonObject("tls").getString("detail"))
                .contains("CN=sluice-client");
    }

    @Test
    @Order(2)
    void rotatedCertificateIsPickedUpWithoutRestartAndNothingIsLost() throws Exception {
        assertThat(sluice).as("started by the previous test").isNotNull();
        ConsumerVerticle before = sluice.pipelines().get(0).consumer();
        // records in flight while the files change: the producer is swapped and the pipeline restarted under them
        List<Future<?>> during = produce(200, 300);
        clientKeystore("client.p12", TestPki.leaf(ca, "sluice-client-rotated", 200)); // atomic replace, same path

        await().atMost(Duration.ofSeconds(60))
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
        assertThat(sluice.tlsStatus().readiness().getString("detail")).contains("CN=sluice-client-rotated");
        awaitAnswers(during);

        produceAndAwaitDelivery(300, 500); // through the new producer and consumer
        assertThat(sluice.localLambda().sink().missing(produced))
                .as("records lost across the rotation")
                .isEmpty();
        HttpResponse<String> ready = await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(300))
                .until(this::readiness, r -> r.statusCode() == 200);
        assertThat(new JsonObject(ready.body())
                        .getJsonObject("checks")
                        .getJsonObject("kafka")
                        .getBoolean("ok"))
                .isTrue();
    }

    /**
     * A stop that arrives while a rotation is restarting the pipeline wins: the rotation finishes or is cut short,
     * and nothing of Sluice runs afterwards (before the fix the rotation's restart could start the pipeline again
     * after the stop).
     */
    @Test
    @Order(7)
    void aStopDuringARotationLeavesNothingRunning() throws Exception {
        assertThat(sluice).as("started by the first test").isNotNull();
        io.sluice.pipeline.Pipeline p = sluice.pipelines().get(0);
        clientKeystore("client.p12", TestPki.leaf(ca, "sluice-client-rotated-again", 300));
        // the rotation's restart has begun once the running incarnation is gone
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> p.consumer() == null);
        sluice.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        sluice = null;

        assertThat(p.consumer()).as("no pipeline incarnation after the stop").isNull();
        assertThat(p.health().state()).isEqualTo(io.sluice.pipeline.PipelineHealth.State.STOPPED);
        assertThat(vertx.deploymentIDs())
                .as("verticles still deployed after the stop")
                .isEmpty();
    }

    @Test
    @Order(3)
    void expiredClientCertificateFailsTheStartAtOnce() {
        TestPki.Issued expired = TestPki.leaf(
                ca,
                "expired-client",
                Instant.now().minus(Duration.ofDays(10)),
                Instant.now().minus(Duration.ofDays(1)));
        JsonObject tls = TlsTestSupport.pkcs12Tls(
                clientKeystore("expired.p12", expired), truststore("trust.p12", ca), "KAFKA_KEYSTORE_PASSWORD");
        assertThat(failedStart(tls))
                .startsWith("kafka.tls.keystore.path: client certificate 'CN=expired-client' expired on ");
    }

    @Test
    @Order(4)
    void wrongPasswordFailsTheStartAtOnce() {
        Path ks = clientKeystore("wrong-pw.p12", TestPki.leaf(ca, "client", 100));
        JsonObject tls = TlsTestSupport.pkcs12Tls(ks, truststore("trust.p12", ca), "KAFKA_WRONG_PASSWORD");
        assertThat(failedStart(tls))
                .isEqualTo("kafka.tls.keystore.passwordEnv: wrong password for '" + ks
                        + "' (environment variable KAFKA_WRONG_PASSWORD)");
    }

    @Test
    @Order(5)
    void untrustedBrokerCaFailsTheStartAtOnce() {
        TestPki.Issued other = TestPki.ca("Some Other CA");
        Path ts = truststore("other-trust.p12", other);
        JsonObject tls = TlsTestSupport.pkcs12Tls(
                clientKeystore("client-ok.p12", TestPki.leaf(ca, "client", 100)), ts, "KAFKA_KEYSTORE_PASSWORD");
        assertThat(failedStart(tls))
                .startsWith("kafka.tls.truststore.path: the broker at 127.0.0.1:")
                .contains("presents a certificate signed by 'CN=Sluice Test CA', which is not trusted by '" + ts + "'");
    }

    @Test
    @Order(6)
    void clientCertificateTheBrokerDoesNotTrustFailsTheStartAtOnce() {
        TestPki.Issued rogue = TestPki.ca("Rogue CA");
        JsonObject tls = TlsTestSupport.pkcs12Tls(
                clientKeystore("rogue.p12", TestPki.leaf(rogue, "client", 100)),
                truststore("trust.p12", ca),
                "KAFKA_KEYSTORE_PASSWORD");
        assertThat(failedStart(tls)).startsWith("kafka.tls.keystore.path: the broker refused the handshake");
    }

    /** Starts a second Sluice with {@code tls}; it must fail within 5 s with a {@link TlsMaterialException}. */
    private String failedStart(JsonObject tls) {
        long t0 = System.nanoTime();
        Sluice s = new Sluice(
                vertx,
                SluiceConfig.fromJson(TlsTestSupport.config(bootstrap(), tls), TlsTestSupport.ENV),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Throwable cause;
        try {
            s.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            s.stopBlocking(Duration.ofSeconds(30));
            throw new AssertionError("started with bad TLS material");
        } catch (ExecutionException e) {
            cause = e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            s.stopBlocking(Duration.ofSeconds(30));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .as("fails fast, no retry loop")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(cause).isInstanceOf(TlsMaterialException.class);
        assertThat(cause.getMessage()).doesNotContain("\n");
        return cause.getMessage();
    }

    private HttpResponse<String> readiness() throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.adminPort() + "/health/ready"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private List<Future<?>> produce(int from, int to) {
        return TlsItEvents.produce(vertx, produced, "tls", from, to);
    }

    private static void awaitAnswers(List<Future<?>> replies) throws Exception {
        TlsItEvents.awaitAnswers(replies);
    }

    private void produceAndAwaitDelivery(int from, int to) throws Exception {
        TlsItEvents.produceAndAwaitDelivery(
                vertx, produced, sluice.localLambda().sink(), "tls", from, to);
    }
}
