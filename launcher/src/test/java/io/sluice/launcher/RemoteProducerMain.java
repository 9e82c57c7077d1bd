package io.sluice.launcher;

import io.sluice.bus.Addresses;
import io.sluice.examples.ProduceExampleVerticle;
import io.sluice.producer.ProduceAnswer;
import io.sluice.producer.ProduceBatch;
import io.sluice.producer.ProduceBatchReply;
import io.sluice.producer.ProduceResult;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The second JVM of {@link ClusteredBusIT}: an application that joins Sluice's cluster (Hazelcast, TCP/IP members on
 * loopback) and produces through the first JVM's Sluice with {@link ProduceExampleVerticle}.
 * <ol>
 *   <li>a request from a caller outside the allow-list: prints {@code FORBIDDEN <code> <message>};</li>
 *   <li>{@code events} events over {@code sluice.produce.batch}: writes the accepted ids to {@code idsFile} and prints
 *       {@code RESULT <summary json>};</li>
 *   <li>then a steady tail of 10-event batches (every 20 ms, each request bounded by 15 s) until one is answered
 *       {@code stopping} (the test stops the first JVM); when every tail request has its answer it prints
 *       {@code TAIL <counts json>} and exits 0.</li>
 * </ol>
 * Arguments: hazelcastPort members(comma-separated) caller events idsFile.
 */
public final class RemoteProducerMain {
    private RemoteProducerMain() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        List<String> members = Arrays.asList(args[1].split(","));
        String caller = args[2];
        int events = Integer.parseInt(args[3]);
        Path idsFile = Path.of(args[4]);
        ClusterSettings cs =
                new ClusterSettings(true, "sluice-it", "127.0.0.1", null, 0, port, members, List.of(caller));
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1")))
                .withClusterManager(new HazelcastClusterManager(HazelcastConfigs.tcpIp(cs)))
                .buildClustered()
                .toCompletionStage()
                .toCompletableFuture()
                .get(120, TimeUnit.SECONDS);
        System.out.println("JOINED");

        ProduceExampleVerticle app = new ProduceExampleVerticle();
        vertx.deployVerticle(
                        app,
                        new DeploymentOptions()
                                .setConfig(new JsonObject()
                                        .put("events", events)
                                        .put("batchSize", 500)
                                        .put("inFlight", 4)
                                        .put("prefix", "rem-")
                                        .put("caller", caller)))
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        JsonObject summary =
                app.done().toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);

        // a caller outside the allow-list (Sluice's handlers are registered by now)
        try {
            vertx.eventBus()
                    .request(
                            Addresses.PRODUCE,
                            new JsonObject()
                                    .put("eventId", "x")
                                    .put("code", 400)
                                    .put("truckId", "T"),
                            new DeliveryOptions()
                                    .addHeader(Addresses.CALLER_HEADER, "intruder")
                                    .setSendTimeout(15_000))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            System.out.println("FORBIDDEN none: the intruder was served");
        } catch (java.util.concurrent.ExecutionException e) {
            ReplyException re = (ReplyException) e.getCause();
            System.out.println("FORBIDDEN " + re.failureCode() + " " + re.getMessage());
        }

        Files.write(idsFile, new ArrayList<>(app.acceptedIds()));
        System.out.println("RESULT " + summary.encode());
        tail(vertx, caller);
    }

    private static void tail(Vertx vertx, String caller) {
        AtomicLong sent = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong stopping = new AtomicLong();
        AtomicLong timeouts = new AtomicLong();
        AtomicLong noHandlers = new AtomicLong();
        AtomicLong other = new AtomicLong();
        DeliveryOptions opts =
                new DeliveryOptions().addHeader(Addresses.CALLER_HEADER, caller).setSendTimeout(15_000);
        long[] seq = {0};
        boolean[] announced = {false};
        vertx.setPeriodic(20, id -> {
            if (stopping.get() > 0) {
                vertx.cancelTimer(id);
                return;
            }
            List<Object> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long n = seq[0]++;
                batch.add(new JsonObject()
                        .put("eventId", "tail-" + n)
                        .put("code", 401)
                        .put("truckId", "T-" + (n % 9))
                        .put("timestamp", System.currentTimeMillis())
                        .put("seq", n));
            }
            long number = sent.incrementAndGet();
            long sentAt = System.currentTimeMillis();
            vertx.eventBus()
                    .<ProduceBatchReply>request(Addresses.PRODUCE_BATCH, new ProduceBatch(batch), opts)
                    .onComplete(ar -> {
                        if (ar.succeeded()) {
                            for (ProduceResult r : ar.result().body().results()) {
                                if (r.isAccepted()) {
                                    accepted.incrementAndGet();
                                } else if (r.answer() == ProduceAnswer.STOPPING) {
                                    stopping.incrementAndGet();
                                } else {
                                    if (other.getAndIncrement() == 0) {
                                        System.out.println("TAIL-OTHER " + r);
                                    }
                                }
                            }
                            if (!announced[0] && accepted.get() > 0) {
                                announced[0] = true;
                                System.out.println("TAIL-STARTED");
                            }
                        } else if (ar.cause() instanceof ReplyException re
                                && re.failureType() == ReplyFailure.TIMEOUT) {
                            timeouts.incrementAndGet();
                            System.out.println("TAIL-TIMEOUT request " + number + " sent at " + sentAt);
                        } else if (ar.cause() instanceof ReplyException re
                                && re.failureType() == ReplyFailure.NO_HANDLERS) {
                            noHandlers.incrementAndGet();
                        } else if (ar.cause() instanceof ReplyException re
                                && re.failureCode() == 503
                                && String.valueOf(re.getMessage()).startsWith("stopping")) {
                            stopping.incrementAndGet();
                            System.out.println("TAIL-STOPPING request " + number + " sent at " + sentAt
                                    + ", answered at " + System.currentTimeMillis());
                        } else {
                            other.incrementAndGet();
                            System.out.println("TAIL-OTHER " + ar.cause());
                        }
                        if (answered.incrementAndGet() == sent.get() && stopping.get() > 0) {
                            System.out.println("TAIL "
                                    + new JsonObject()
                                            .put("sent", sent.get())
                                            .put("answered", answered.get())
                                            .put("accepted", accepted.get())
                                            .put("stopping", stopping.get())
                                            .put("timeouts", timeouts.get())
                                            .put("noHandlers", noHandlers.get())
                                            .put("other", other.get())
                                            .encode());
                            vertx.close().onComplete(x -> System.exit(0));
                        }
                    });
        });
    }
}
