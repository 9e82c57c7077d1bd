package io.sluice.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sluice.lambda.record.RoutedRecord;
import io.sluice.lambda.route.TargetSpec;
import io.sluice.lambda.target.HttpTarget;
import io.sluice.lambda.target.TargetFailedException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class HttpTargetTest {

    private HttpServer server;
    private final AtomicReference<byte[]> lastBody = new AtomicReference<>();
    private final AtomicReference<String> lastContentType = new AtomicReference<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/ok", ex -> {
            lastBody.set(ex.getRequestBody().readAllBytes());
            lastContentType.set(ex.getRequestHeaders().getFirst("Content-Type"));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/fail", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] msg = "overloaded".getBytes();
            ex.sendResponseHeaders(503, msg.length);
            ex.getResponseBody().write(msg);
            ex.close();
        });
        server.createContext("/slow", ex -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private HttpTarget target(String path, Duration timeout) {
        return new HttpTarget(
                TargetSpec.http(
                        "t",
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path),
                        timeout),
                client);
    }

    private static List<RoutedRecord> records() {
        return List.of(new RoutedRecord(
                "e-1",
                301,
                "T-1",
                5L,
                3L,
                "301:T-1",
                "t",
                0,
                15L,
                "e-1",
                "c-1",
                "{\"eventId\":\"e-1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void postsTheRecordsAsAJsonArray() throws IOException {
        target("/ok", Duration.ofSeconds(5)).deliver(records()).join();

        assertThat(lastContentType.get()).isEqualTo("application/json");
        JsonNode body = Dispatcher.MAPPER.readTree(lastBody.get());
        assertThat(body.isArray()).isTrue();
        assertThat(body.get(0).get("idempotencyKey").asText()).isEqualTo("e-1");
        assertThat(body.get(0).get("offset").longValue()).isEqualTo(15L);
    }

    @Test
    void nonSuccessStatusFailsTheCall() {
        assertThatThrownBy(() -> target("/fail", Duration.ofSeconds(5))
                        .deliver(records())
                        .join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(TargetFailedException.class)
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("overloaded");
    }

    @Test
    void timeoutFailsTheCall() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> target("/slow", Duration.ofMillis(300))
                        .deliver(records())
                        .join())
                .hasCauseInstanceOf(TargetFailedException.class)
                .hasMessageContaining("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void connectionRefusedFailsTheCall() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HttpTarget t = new HttpTarget(
                TargetSpec.http("t", URI.create("http://127.0.0.1:" + port + "/x"), Duration.ofSeconds(2)), client);
        assertThatThrownBy(() -> t.deliver(records()).join()).hasCauseInstanceOf(TargetFailedException.class);
    }
}
