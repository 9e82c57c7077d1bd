package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.bus.Addresses;
import io.sluice.config.Cfg;
import io.sluice.kafka.AsyncProducer;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The producer verticle with a spool over a {@link MockProducer} whose "broker" a test thread answers: down
 * (every pending send fails with a timeout), up (every pending send is acknowledged) or fatal.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProducerSpoolTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private volatile MockProducer<byte[], byte[]> mock;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicReference<RuntimeException> failWith = new AtomicReference<>();
    private Thread broker;
    private volatile boolean running = true;

    /** MockProducer's flush acknowledges every pending send; a real one waits for the broker: the fake broker answers. */
    private static final class BrokerMock extends MockProducer<byte[], byte[]> {
        BrokerMock() {
            super(false, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public void flush() {}
    }

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        mock = new BrokerMock();
        broker = new Thread(
                () -> {
                    while (running) {
                        MockProducer<byte[], byte[]> m = mock;
                        synchronized (m) {
                            RuntimeException f = failWith.get();
                            boolean more = true;
                            while (more) {
                                more = f != null
                                        ? m.errorNext(f)
                                        : down.get() ? m.errorNext(new TimeoutException("down")) : m.completeNext();
                            }
                        }
                        try {
                            Thread.sleep(5); // the fake broker's polling interval, not a wait for a condition
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "fake-broker");
        broker.setDaemon(true);
        broker.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        running = false;
        broker.join(5_000);
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private ProducerVerticle deploy() throws Exception {
        JsonObject conf = new JsonObject()
                .put(
                        "routing",
                        new JsonObject()
                                .put(
                                        "rules",
                                        new JsonArray()
                                                .add(new JsonObject()
                                                        .put("codes", new JsonArray().add(301))
                                                        .put("topic", "mt-c300"))))
                .put(
                        "spool",
                        new JsonObject()
                                .put("enabled", true)
                                .put("directory", dir.toString())
                                .put("drainRatePerSecond", 2_000)
                                .put("retryBackoffMs", 20)
                                .put("maxRetryBackoffMs", 100));
        ProducerSettings s = ProducerSettings.from(new Cfg(conf, "producer"));
        ProducerVerticle v = new ProducerVerticle(s, new AsyncProducer(mock, "test-sender"), new SimpleMeterRegistry());
        vertx.deployVerticle(v).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        return v;
    }

    private static JsonObject event(String truck, int seq) {
        return new JsonObject()
                .put("eventId", truck + "-" + seq)
                .put("code", 301)
                .put("truckId", truck)
                .put("timestamp", 1_700_000_000_000L);
    }

    private ProduceBatchReply send(List<JsonObject> events) throws Exception {
        return vertx.eventBus()
                .<ProduceBatchReply>request(Addresses.PRODUCE_BATCH, new ProduceBatch(events))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS)
                .body();
    }

    private List<String> ackedIds() {
        MockProducer<byte[], byte[]> m = mock;
        synchronized (m) {
            // history holds every send; the acknowledged ones are those the fake broker completed: with the broker
            // up at the end, the last send of each value is its delivery
            List<String> ids = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> r : m.history()) {
                ids.add(new JsonObject(new String(r.value(), StandardCharsets.UTF_8)).getString("eventId"));
            }
            return ids;
        }
    }

    /** Per key, the order in which the ids were last sent (what the topic ends with, duplicates collapsed). */
    private static Map<String, List<String>> lastOrderPerKey(List<String> sends) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String id : sends) {
            List<String> l = m.computeIfAbsent(id.substring(0, id.indexOf('-')), k -> new ArrayList<>());
            l.remove(id);
            l.add(id);
        }
        return m;
    }

    @Test
    void duringAnOutageEventsAreAnsweredSpooledAndDrainedInKeyOrderOnceKafkaAnswers() throws Exception {
        deploy();
        down.set(true);
        List<JsonObject> first = List.of(event("A", 1), event("B", 1), event("A", 2));
        ProduceBatchReply r1 = send(first);
        assertThat(r1.results()).extracting(ProduceResult::answer).containsOnly(ProduceAnswer.SPOOLED);
        assertThat(r1.results().get(0).topic()).isEqualTo("mt-c300");
        ProduceBatchReply r2 = send(List.of(event("A", 3), event("B", 2)));
        assertThat(r2.results()).extracting(ProduceResult::answer).containsOnly(ProduceAnswer.SPOOLED);
        down.set(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, List<String>> m = lastOrderPerKey(ackedIds());
            return m.getOrDefault("A", List.of()).size() == 3
                    && m.getOrDefault("B", List.of()).size() == 2;
        });
        // a key that still has spooled events: its new events go behind them, not straight to Kafka
        ProduceBatchReply r3 = send(List.of(event("A", 4), event("C", 1)));
        assertThat(r3.results()).extracting(ProduceResult::isSuccess).containsOnly(true);
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        lastOrderPerKey(ackedIds()).getOrDefault("A", List.of()).size() == 4);
        Map<String, List<String>> order = lastOrderPerKey(ackedIds());
        assertThat(order.get("A")).containsExactly("A-1", "A-2", "A-3", "A-4");
        assertThat(order.get("B")).containsExactly("B-1", "B-2");
    }

    @Test
    void aRestartDrainsWhatThePreviousRunSpooled() throws Exception {
        deploy();
        down.set(true);
        assertThat(send(List.of(event("A", 1), event("A", 2), event("B", 1))).results())
                .extracting(ProduceResult::answer)
                .containsOnly(ProduceAnswer.SPOOLED);
        vertx.undeploy(vertx.deploymentIDs().iterator().next())
                .toCompletionStage()
                .toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        mock = new BrokerMock(); // the old one was closed
        down.set(false);
        deploy();
        await().atMost(Duration.ofSeconds(30)).until(() -> ackedIds().size() >= 3);
        assertThat(ackedIds()).containsExactly("A-1", "A-2", "B-1");
    }

    @Test
    void aFatalErrorFailsFastWithUnavailableAndTurnsTheFatalGaugeOn() throws Exception {
        deploy();
        failWith.set(new TopicAuthorizationException("not allowed"));
        ProduceBatchReply r = send(List.of(event("A", 1)));
        assertThat(r.results().get(0).answer()).isEqualTo(ProduceAnswer.UNAVAILABLE);
        assertThat(r.results().get(0).error()).contains("fatal").contains("TopicAuthorizationException");
        int sends = ackedIds().size();
        Throwable single = vertx.eventBus()
                .request(Addresses.PRODUCE, event("A", 2))
                .toCompletionStage()
                .toCompletableFuture()
                .handle((ok, err) -> err)
                .get(10, TimeUnit.SECONDS);
        assertThat(single)
                .isInstanceOf(ReplyException.class)
                .hasMessageContaining("unavailable")
                .hasMessageContaining("fatal");
        assertThat(ackedIds()).as("fail fast: nothing more is sent").hasSize(sends);
    }
}
