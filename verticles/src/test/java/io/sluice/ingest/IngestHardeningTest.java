package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.bus.Addresses;
import io.sluice.config.Cfg;
import io.sluice.http.LogCapture;
import io.sluice.http.RawHttp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 20, part 3, on the ingest server over raw sockets (what a hostile client sends): bounded inflating,
 * header/body/idle timeouts, the connection limit, the declared charset, Content-Length with chunked,
 * the Host allow-list, security headers, and what refused requests log.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IngestHardeningTest {
    private Vertx vertx;
    private final List<String> produced = new CopyOnWriteArrayList<>();
    private int port;
    private LogCapture logs;

    @BeforeEach
    void setUp(Vertx vertx) throws Exception {
        this.vertx = vertx;
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
        logs = new LogCapture();
    }

    @AfterEach
    void tearDown() {
        logs.close();
    }

    private void deploy(JsonObject overrides) throws Exception {
        JsonObject j = new JsonObject()
                .put("enabled", true)
                .put("host", "127.0.0.1")
                .put("port", 0)
                .put("maxBodyBytes", 4096)
                .put("maxEventsPerRequest", 100)
                .put("drainTimeoutMs", 1000)
                .put("headerTimeoutMs", 2000)
                .put("bodyTimeoutMs", 1000)
                .put("idleTimeoutMs", 1000)
                .put("maxConnections", 50);
        j.mergeIn(overrides);
        IngestVerticle ingest =
                new IngestVerticle(IngestSettings.from(new Cfg(j, "ingest")), 10_000, new SimpleMeterRegistry());
        get(vertx.deployVerticle(ingest));
        port = ingest.actualPort();
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static String post(String headers, int contentLength) {
        return "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + headers
                + "Content-Length: " + contentLength + "\r\n\r\n";
    }

    private RawHttp.Response send(String headers, byte[] body) throws Exception {
        try (RawHttp c = new RawHttp(port, 10_000)) {
            c.write(post(headers, body.length)).write(body);
            return c.read();
        }
    }

    static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void aCompressionBombIsCutAtTheLimitAnswered413AndTheConnectionClosed() throws Exception {
        deploy(new JsonObject());
        byte[] bomb = gzip(("{\"pad\":\"" + "0".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.US_ASCII));
        assertThat(bomb.length).isLessThan(4096);
        try (RawHttp c = new RawHttp(port, 5_000)) {
            c.write(post("Content-Encoding: gzip\r\n", bomb.length)).write(bomb);
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).contains("maxBodyBytes").contains("inflated");
            assertThat(c.closedByServer()).as("connection closed after the 413").isTrue();
        }
        // a small compressed body still works
        RawHttp.Response ok =
                send("Content-Encoding: gzip\r\n", gzip("{\"eventId\":\"z\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(ok.status()).as(ok.body()).isEqualTo(202);
        assertThat(produced).containsExactly("{\"eventId\":\"z\"}");
    }

    @Test
    void anUnknownContentEncodingIs415() throws Exception {
        deploy(new JsonObject());
        RawHttp.Response r = send("Content-Encoding: br\r\n", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.body()).contains("Content-Encoding");
    }

    @Test
    void aSlowBodyIsAnswered408WithinBodyTimeoutAndClosed() throws Exception {
        deploy(new JsonObject());
        try (RawHttp c = new RawHttp(port, 8_000)) {
            long t0 = System.nanoTime();
            c.write(post("", 1000)).write("{");
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.body()).contains("bodyTimeoutMs");
            assertThat(c.closedByServer()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(6_000);
        }
        assertThat(produced).isEmpty();
    }

    @Test
    void aConnectionThatSendsNoRequestIsClosedAfterHeaderTimeout() throws Exception {
        deploy(new JsonObject().put("headerTimeoutMs", 500));
        try (RawHttp c = new RawHttp(port, 8_000)) {
            c.write("POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // headers never finished
            assertThat(c.closedByServer()).as("closed within the read timeout").isTrue();
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterIdleTimeout() throws Exception {
        deploy(new JsonObject().put("idleTimeoutMs", 500));
        try (RawHttp c = new RawHttp(port, 8_000)) {
            byte[] body = "{\"eventId\":\"k\"}".getBytes(StandardCharsets.UTF_8);
            c.write(post("", body.length)).write(body);
            assertThat(c.read().status()).isEqualTo(202);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void connectionsBeyondMaxConnectionsAreClosedAtOnce() throws Exception {
        deploy(new JsonObject()
                .put("maxConnections", 3)
                .put("headerTimeoutMs", 30_000)
                .put("idleTimeoutMs", 30_000));
        List<RawHttp> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(new RawHttp(port, 1_500));
            }
            for (RawHttp c : open) {
                assertThat(c.closedByServer()).as("within the limit: kept").isFalse();
            }
            try (RawHttp extra = new RawHttp(port, 5_000)) {
                assertThat(extra.closedByServer())
                        .as("beyond the limit: closed")
                        .isTrue();
            }
        } finally {
            for (RawHttp c : open) {
                c.close();
            }
        }
    }

    @Test
    void aUtf16BodyIs400NamingTheEncodingNot500AndLogsNoStackTrace() throws Exception {
        deploy(new JsonObject());
        byte[] utf16 = "{\"eventId\":\"a\",\"code\":1}".getBytes(StandardCharsets.UTF_16LE);
        RawHttp.Response r = send("", utf16);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("UTF-8");
        RawHttp.Response bom = send("", "{\"eventId\":\"a\"}".getBytes(StandardCharsets.UTF_16));
        assertThat(bom.status()).as(bom.body()).isEqualTo(400);
        assertThat(logs.withStackTrace()).as(String.valueOf(logs.problems())).isZero();
        assertThat(produced).isEmpty();
    }

    @Test
    void invalidUtf8IsRefusedEvenInsideAString() throws Exception {
        deploy(new JsonObject());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("{\"eventId\":\"ov".getBytes(StandardCharsets.US_ASCII));
        b.write(0xC0);
        b.write(0xAF); // overlong '/'
        b.write("\"}".getBytes(StandardCharsets.US_ASCII));
        RawHttp.Response r = send("", b.toByteArray());
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("UTF-8");
        assertThat(produced).isEmpty();
    }

    @Test
    void contentLengthTogetherWithTransferEncodingOnHttp10IsRefusedAndTheConnectionClosed() throws Exception {
        deploy(new JsonObject());
        try (RawHttp c = new RawHttp(port, 5_000)) {
            c.write("POST /v1/events HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 15\r\nTransfer-Encoding: chunked\r\n\r\n{\"eventId\":\"c\"}");
            RawHttp.Response r = c.read();
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.body()).contains("Content-Length").contains("Transfer-Encoding");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(produced).isEmpty();
    }

    @Test
    void contentLengthTogetherWithChunkedIsRefusedAndTheConnectionClosed() throws Exception {
        deploy(new JsonObject());
        try (RawHttp c = new RawHttp(port, 5_000)) {
            c.write("POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 15\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "f\r\n{\"eventId\":\"c\"}\r\n0\r\n\r\n");
            RawHttp.Response r = c.read();
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.body()).contains("Content-Length").contains("Transfer-Encoding");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(produced).isEmpty();
    }

    @Test
    void aSmugglingRefusalWithABodyStillComingIsReadByTheClient() throws Exception {
        // like most clients, this one sends the whole (4 MB) body before it reads: the guard's refusal
        // (ConnectionGuard.refuseAndClose) must linger, since closing with the body unread resets the connection
        // and the reset discards the 400 the client has not read yet
        deploy(new JsonObject());
        byte[] chunk = ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try (RawHttp c = new RawHttp(port, 10_000)) {
            c.write("POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 15\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 256; i++) {
                c.write(chunk);
            }
            c.write("0\r\n\r\n");
            RawHttp.Response r = c.read();
            assertThat(r.status()).as(r.body()).isEqualTo(400);
        }
        assertThat(produced).isEmpty();
    }

    @Test
    void aHostOutsideTheAllowListIsRefused() throws Exception {
        deploy(new JsonObject());
        try (RawHttp c = new RawHttp(port, 5_000)) {
            byte[] body = "{\"eventId\":\"h\"}".getBytes(StandardCharsets.UTF_8);
            c.write(
                            "POST /v1/events HTTP/1.1\r\nHost: rebind.attacker.example:8081\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: " + body.length + "\r\n\r\n")
                    .write(body);
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(421);
            assertThat(r.body()).contains("allowedHosts");
        }
        assertThat(produced).isEmpty();
        try (RawHttp c = new RawHttp(port, 5_000)) {
            byte[] body = "{\"eventId\":\"h\"}".getBytes(StandardCharsets.UTF_8);
            c.write("POST /v1/events HTTP/1.1\r\nHost: localhost:" + port + "\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length + "\r\n\r\n")
                    .write(body);
            assertThat(c.read().status()).isEqualTo(202);
        }
    }

    @Test
    void everyAnswerCarriesTheAntiFramingAndNoSniffHeaders() throws Exception {
        deploy(new JsonObject());
        RawHttp.Response ok = send("", "{\"eventId\":\"s\"}".getBytes(StandardCharsets.UTF_8));
        try (RawHttp c = new RawHttp(port, 5_000)) {
            c.write("GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            RawHttp.Response missing = c.read();
            for (RawHttp.Response r : List.of(ok, missing)) {
                assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
                assertThat(r.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
                assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            }
        }
    }

    @Test
    void aClientThatDisconnectsMidBodyLogsNothingAboveInfo() throws Exception {
        deploy(new JsonObject());
        try (RawHttp c = new RawHttp(port, 5_000)) {
            c.write(post("", 1000)).write("{\"eventId\":");
        }
        // the server notices the close; a following request is served and nothing was logged as a problem
        RawHttp.Response r = send("", "{\"eventId\":\"after\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(202);
        org.awaitility.Awaitility.await()
                .during(java.time.Duration.ofMillis(300))
                .atMost(java.time.Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(logs.problems()).isEmpty());
    }

    @Test
    void madeUpMethodsAre405WithOneShortAnswer() throws Exception {
        deploy(new JsonObject());
        try (RawHttp c = new RawHttp(port, 5_000)) {
            c.write("FOOBAR /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(405);
        }
        assertThat(logs.withStackTrace()).isZero();
    }
}
