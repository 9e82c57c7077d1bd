package io.sluice.launcher.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.launcher.Sluice;
import io.sluice.producer.ProducerVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP ingest and the producer on the embedded broker: (c) bad inputs get the documented 4xx and the
 * process keeps serving; (a) 1% invalid events among 50,000 end up exactly in the producer DLQ with
 * reason headers, the valid ones in their topics, no id in both.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ProducerIngestIT {
    private static Vertx vertx;
    private static Sluice sluice;
    private static HttpClient http;
    private static URI uri;
    private static String bootstrap;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        sluice = ProducerItSupport.startSluice(vertx, ProducerItSupport.producerOnlyConfig());
        assertThat(sluice.ingestPort()).isPositive();
        uri = URI.create("http://127.0.0.1:" + sluice.ingestPort() + "/v1/events");
        bootstrap = sluice.config().kafka().bootstrapServers();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        ProducerItSupport.stop(sluice, vertx);
    }

    record Answer(int status, JsonObject body, HttpResponse<String> raw) {}

    private static Answer post(String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? null : new JsonObject(r.body()), r);
    }

    private static String event(String id, int code) {
        return new JsonObject()
                .put("eventId", id)
                .put("code", code)
                .put("truckId", "T-1")
                .put("timestamp", System.currentTimeMillis())
                .encode();
    }

    // ---------------------------------------------------------------------------------------- (c)

    @Test
    void badInputsGetTheDocumented4xxAndNothingOfThemIsWrittenAndTheServerKeepsServing() throws Exception {
        String p = "bad-" + System.nanoTime() + "-";

        Answer malformed = post("application/json", "{\"eventId\":\"" + p + "m\",\"code\":300,");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().getString("field")).isEqualTo("body");
        assertThat(malformed.body().getString("error")).startsWith("body: malformed JSON");

        Answer ndjsonBadLine = post("application/x-ndjson", event(p + "n1", 400) + "\n{oops}\n");
        assertThat(ndjsonBadLine.status()).isEqualTo(400);
        assertThat(ndjsonBadLine.body().getString("field")).isEqualTo("line 2");

        Answer notAnObject = post("application/json", "[" + event(p + "a1", 400) + ",\"x\"]");
        assertThat(notAnObject.status()).isEqualTo(400);
        assertThat(notAnObject.body().getString("error")).startsWith("body[1]: must be a JSON object");

        Answer wrongType = post("text/plain", event(p + "t", 400));
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.body().getString("field")).isEqualTo("Content-Type");
        assertThat(post(null, event(p + "t2", 400)).status()).isEqualTo(415);

        Answer empty = post("application/json", "");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body().getString("error")).contains("empty");

        String huge = "{\"eventId\":\"" + p + "h\",\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        Answer tooBig = post("application/json", huge);
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.body().getString("error")).contains("maxBodyBytes");

        String many = java.util.stream.IntStream.range(0, 1001)
                .mapToObj(i -> event(p + "many" + i, 400))
                .collect(Collectors.joining("\n"));
        assertThat(post("application/x-ndjson", many).status()).isEqualTo(413);

        // field-level problems are per event: the producer answers 'invalid' naming the field, the event goes to the
        // DLQ
        Answer codeAsString = post(
                "application/json",
                new JsonObject()
                        .put("eventId", p + "f1")
                        .put("code", "300")
                        .put("truckId", "T-1")
                        .put("timestamp", 1L)
                        .encode());
        assertThat(codeAsString.status()).isEqualTo(400);
        assertThat(codeAsString.body().getString("error")).contains("wrong-type code");
        Answer truckAsNumber = post(
                "application/json",
                new JsonObject()
                        .put("eventId", p + "f2")
                        .put("code", 300)
                        .put("truckId", 42)
                        .put("timestamp", 1L)
                        .encode());
        assertThat(truckAsNumber.status()).isEqualTo(400);
        assertThat(truckAsNumber.body().getString("error")).contains("truckId");
        Answer noTimestamp = post(
                "application/json",
                new JsonObject()
                        .put("eventId", p + "f3")
                        .put("code", 300)
                        .put("truckId", "T-1")
                        .encode());
        assertThat(noTimestamp.status()).isEqualTo(400);
        assertThat(noTimestamp.body().getString("error")).contains("missing-field timestamp");

        // still serving: a good request is accepted and readable
        Answer good = post("application/json", "[" + event(p + "ok1", 300) + "," + event(p + "ok2", 400) + "]");
        assertThat(good.status()).isEqualTo(202);
        assertThat(good.body().getInteger("accepted")).isEqualTo(2);
        assertThat(good.raw().headers().firstValue("X-Correlation-Id")).isPresent();
        JsonObject first = good.body().getJsonArray("results").getJsonObject(0);
        assertThat(first.getString("topic")).isEqualTo("mt-c300");

        List<ProducerItSupport.Read> inTopics =
                ProducerItSupport.readAll(bootstrap, ProducerItSupport.EVENT_TOPICS, p, Duration.ofSeconds(60));
        List<ProducerItSupport.Read> inDlq =
                ProducerItSupport.readAll(bootstrap, List.of(ProducerItSupport.DLQ), p, Duration.ofSeconds(60));
        assertThat(inTopics)
                .extracting(ProducerItSupport.Read::eventId)
                .as("only the accepted events; nothing of a refused request was sent")
                .containsExactlyInAnyOrder(p + "ok1", p + "ok2");
        assertThat(inDlq)
                .extracting(ProducerItSupport.Read::eventId)
                .containsExactlyInAnyOrder(p + "f1", p + "f2", p + "f3");
        assertThat(inDlq)
                .allSatisfy(r -> assertThat(r.headers()).containsEntry(ProducerVerticle.H_SOURCE, "http-ingest"));
    }

    // ---------------------------------------------------------------------------------------- (a)

    /** One invalid kind: how to break the event, and the reason/field headers the DLQ record must carry. */
    record Breakage(Function<JsonObject, JsonObject> apply, String reason, String field) {}

    @Test
    void onePercentInvalidAmong50kLandExactlyInTheDlqAndTheRestInTheirTopics() throws Exception {
        String p = "dlq-" + System.nanoTime() + "-";
        int total = 50_000;
        int batch = 500;
        List<Breakage> kinds = List.of(
                new Breakage(e -> e.put("code", "400"), "wrong-type", "code"),
                new Breakage(
                        e -> {
                            e.remove("truckId");
                            return e;
                        },
                        "missing-field",
                        "truckId"),
                new Breakage(e -> e.put("timestamp", -5), "wrong-type", "timestamp"),
                new Breakage(e -> e.put("truckId", 42), "wrong-type", "truckId"),
                new Breakage(e -> e.put("code", 1.5), "wrong-type", "code"));
        int[] codes = {300, 301, 305, 400, 401, 402, 410};
        Set<String> valid = new HashSet<>();
        Map<String, Breakage> invalid = new HashMap<>();
        List<String> bodies = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < total; i++) {
            String id = p + i;
            JsonObject e = new JsonObject()
                    .put("eventId", id)
                    .put("code", codes[i % codes.length])
                    .put("truckId", "T-" + (i % 211))
                    .put("timestamp", System.currentTimeMillis())
                    .put("seq", i)
                    .put("pad", "x".repeat(120));
            if (i % 100 == 42) {
                Breakage k = kinds.get((i / 100) % kinds.size());
                e = k.apply().apply(e);
                invalid.put(id, k);
            } else {
                valid.add(id);
            }
            sb.append(e.encode()).append('\n');
            if ((i + 1) % batch == 0) {
                bodies.add(sb.toString());
                sb.setLength(0);
            }
        }
        assertThat(invalid).hasSize(500);

        // 4 requests at a time, NDJSON, 500 events each
        Map<String, String> statusById = new HashMap<>();
        Map<String, String> topicById = new HashMap<>();
        List<Integer> httpStatuses = new ArrayList<>();
        int window = 4;
        for (int from = 0; from < bodies.size(); from += window) {
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int j = from; j < Math.min(from + window, bodies.size()); j++) {
                inFlight.add(http.sendAsync(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(90))
                                .header("Content-Type", "application/x-ndjson")
                                .header("X-Correlation-Id", "it-a-" + j)
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(j)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : inFlight) {
                HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
                httpStatuses.add(r.statusCode());
                JsonArray results = new JsonObject(r.body()).getJsonArray("results");
                assertThat(results).hasSize(batch);
                for (Object o : results) {
                    JsonObject res = (JsonObject) o;
                    assertThat(statusById.put(res.getString("eventId"), res.getString("status")))
                            .isNull();
                    if (res.getString("topic") != null) {
                        topicById.put(res.getString("eventId"), res.getString("topic"));
                    }
                }
            }
        }
        assertThat(httpStatuses).hasSize(100).containsOnly(202);
        assertThat(statusById).hasSize(total);
        Map<String, Long> answerCounts =
                statusById.values().stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        assertThat(answerCounts).containsExactlyInAnyOrderEntriesOf(Map.of("accepted", 49_500L, "invalid", 500L));
        invalid.keySet().forEach(id -> assertThat(statusById.get(id)).as(id).isEqualTo("invalid"));

        List<ProducerItSupport.Read> inTopics =
                ProducerItSupport.readAll(bootstrap, ProducerItSupport.EVENT_TOPICS, p, Duration.ofSeconds(120));
        List<ProducerItSupport.Read> inDlq =
                ProducerItSupport.readAll(bootstrap, List.of(ProducerItSupport.DLQ), p, Duration.ofSeconds(60));

        Map<String, Long> topicCounts = inTopics.stream()
                .collect(Collectors.groupingBy(ProducerItSupport.Read::eventId, Collectors.counting()));
        Map<String, Long> dlqCounts =
                inDlq.stream().collect(Collectors.groupingBy(ProducerItSupport.Read::eventId, Collectors.counting()));
        assertThat(topicCounts.keySet()).as("valid ids in the topics").isEqualTo(valid);
        assertThat(topicCounts.values()).as("no duplicates in the topics").containsOnly(1L);
        assertThat(dlqCounts.keySet()).as("invalid ids in the DLQ").isEqualTo(invalid.keySet());
        assertThat(dlqCounts.values()).as("no duplicates in the DLQ").containsOnly(1L);
        Set<String> both = new HashSet<>(topicCounts.keySet());
        both.retainAll(dlqCounts.keySet());
        assertThat(both).as("ids both in a topic and in the DLQ").isEmpty();

        for (ProducerItSupport.Read r : inDlq) {
            Breakage k = invalid.get(r.eventId());
            assertThat(r.headers())
                    .as("DLQ headers of %s", r.eventId())
                    .containsEntry(ProducerVerticle.H_REASON, k.reason())
                    .containsEntry(ProducerVerticle.H_FIELD, k.field())
                    .containsEntry(ProducerVerticle.H_SOURCE, "http-ingest")
                    .containsKey(ProducerVerticle.H_MESSAGE)
                    .containsKey(ProducerVerticle.H_TIME);
            assertThat(r.headers().get(ProducerVerticle.CORRELATION_HEADER)).startsWith("it-a-");
        }
        for (ProducerItSupport.Read r : inTopics) {
            assertThat(r.topic()).as("routing of %s", r.eventId()).isEqualTo(topicById.get(r.eventId()));
            int i = Integer.parseInt(r.eventId().substring(p.length()));
            int code = codes[i % codes.length];
            assertThat(r.topic()).isEqualTo(code >= 300 && code <= 309 ? "mt-c300" : "mt-c400");
        }
    }
}
