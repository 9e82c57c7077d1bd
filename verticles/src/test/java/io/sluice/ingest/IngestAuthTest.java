package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.bus.Addresses;
import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.http.RawHttp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Issue 20 part 2: named ingest tokens from a file, 401/403, per-client counters, rotation without restart. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IngestAuthTest {
    @TempDir
    Path dir;

    private final List<String> produced = new CopyOnWriteArrayList<>();

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static RawHttp.Response post(int port, String token) throws Exception {
        String body = "{\"eventId\":\"a\"}";
        try (RawHttp c = new RawHttp(port, 10_000)) {
            c.write("POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            return c.read();
        }
    }

    @Test
    void namedTokensAreCheckedCountedPerClientAndRotateWithoutRestart(Vertx vertx) throws Exception {
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
        Path tokens = Files.writeString(
                dir.resolve("tokens"),
                "# name token\nfleet-a aaaaaaaaaaaaaaaaaaaa-1\n" + "fleet-b bbbbbbbbbbbbbbbbbbbb-1\n");
        JsonObject j = new JsonObject()
                .put("enabled", true)
                .put("port", 0)
                .put(
                        "auth",
                        new JsonObject()
                                .put("enabled", true)
                                .put("tokensFile", tokens.toString())
                                .put("reloadMs", 200));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestVerticle v = new IngestVerticle(IngestSettings.from(new Cfg(j, "ingest"), Map.of()), 10_000, registry);
        get(vertx.deployVerticle(v));
        int port = v.actualPort();

        RawHttp.Response none = post(port, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(post(port, "wrong-token-xxxxxxxxxxx").status()).isEqualTo(403);
        assertThat(produced).isEmpty();
        assertThat(post(port, "aaaaaaaaaaaaaaaaaaaa-1").status()).isEqualTo(202);
        assertThat(post(port, "bbbbbbbbbbbbbbbbbbbb-1").status()).isEqualTo(202);
        assertThat(post(port, "bbbbbbbbbbbbbbbbbbbb-1").status()).isEqualTo(202);
        assertThat(registry.get("sluice.ingest.client.requests")
                        .tag("client", "fleet-a")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("sluice.ingest.client.requests")
                        .tag("client", "fleet-b")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.find("sluice.ingest.client.requests").counters()).hasSize(2);

        // rotate: fleet-a gets a new token, fleet-b is removed; a broken file is not applied
        Path next = Files.writeString(dir.resolve("tokens.next"), "fleet-a aaaaaaaaaaaaaaaaaaaa-2\n");
        Files.move(
                next,
                tokens,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> post(port, "aaaaaaaaaaaaaaaaaaaa-2").status() == 202);
        assertThat(post(port, "aaaaaaaaaaaaaaaaaaaa-1").status()).isEqualTo(403);
        assertThat(post(port, "bbbbbbbbbbbbbbbbbbbb-1").status()).isEqualTo(403);
        Files.writeString(tokens, "broken line without token\n");
        await().during(Duration.ofMillis(600))
                .atMost(Duration.ofSeconds(5))
                .until(() -> post(port, "aaaaaaaaaaaaaaaaaaaa-2").status() == 202);
    }

    @Test
    void aMissingOrMalformedTokensFileFailsTheConfigWithoutEchoingTokens() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad"), "fleet-a short\n");
        assertThatThrownBy(() -> IngestSettings.from(
                        new Cfg(
                                new JsonObject()
                                        .put(
                                                "auth",
                                                new JsonObject()
                                                        .put("enabled", true)
                                                        .put("tokensFile", bad.toString())),
                                "ingest"),
                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ingest.auth.tokensFile:")
                .hasMessageContaining("line 1")
                .hasMessageNotContaining("short");
        assertThatThrownBy(() -> IngestSettings.from(
                        new Cfg(new JsonObject().put("auth", new JsonObject().put("enabled", true)), "ingest"),
                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ingest.auth.tokensFile:");
        assertThat(IngestSettings.from(
                                new Cfg(
                                        new JsonObject()
                                                .put(
                                                        "auth",
                                                        new JsonObject()
                                                                .put("enabled", true)
                                                                .put("allowedSubjects", new JsonArray().add("CN=a"))),
                                        "ingest"),
                                Map.of())
                        .auth()
                        .allowedSubjects())
                .containsExactly("CN=a");
    }
}
