package io.sluice.launcher.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.bus.Addresses;
import io.sluice.locallambda.SinkStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Events of the TLS ITs: produced over the event bus with ids {@code <prefix>-<n>}, answered, found at the sink. */
final class TlsItEvents {
    private TlsItEvents() {}

    /** Sends events {@code from} (inclusive) to {@code to} and notes their ids in {@code produced}. */
    static List<Future<?>> produce(Vertx vertx, List<String> produced, String prefix, int from, int to) {
        List<Future<?>> replies = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String id = prefix + "-" + i;
            synchronized (produced) {
                produced.add(id);
            }
            JsonObject event = new JsonObject()
                    .put("eventId", id)
                    .put("code", i % 2 == 0 ? 300 : 400)
                    .put("truckId", "T-" + (i % 13))
                    .put("timestamp", System.currentTimeMillis());
            replies.add(
                    vertx.eventBus().request(Addresses.PRODUCE, event, new DeliveryOptions().setSendTimeout(60_000)));
        }
        return replies;
    }

    /** Every reply came and was a success (bounded: 60 s). */
    static void awaitAnswers(List<Future<?>> replies) throws Exception {
        Future.join(new ArrayList<>(replies))
                .otherwiseEmpty()
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        assertThat(replies)
                .allSatisfy(f -> assertThat(f.succeeded())
                        .as("producer answer " + f.cause())
                        .isTrue());
    }

    /** Produces events {@code from}..{@code to}, awaits their answers, then every one of their ids at the sink. */
    static void produceAndAwaitDelivery(
            Vertx vertx, List<String> produced, SinkStore sink, String prefix, int from, int to) throws Exception {
        awaitAnswers(produce(vertx, produced, prefix, from, to));
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add(prefix + "-" + i);
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(sink.missing(ids)).isEmpty());
    }
}
