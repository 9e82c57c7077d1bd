package io.sluice.ops.redrive;

import io.sluice.kafka.KafkaSettings;
import io.sluice.kafka.Topics;
import io.sluice.producer.TokenBucket;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One {@code dlq redrive} run against Kafka (blocking, on the command's thread).
 *
 * <p><b>Idempotent by a consumer group per selection.</b> The run reads the DLQ topic with the consumer group
 * {@code sluice-redrive-<selection id>} (assigned partitions, no subscription, no rebalance), from that group's
 * committed offsets (the beginning the first time) up to the end offsets read when it started. After each poll's
 * records are sent, it waits until every send is acknowledged ({@code acks=all}, idempotent producer, {@code flush})
 * and only then commits the group's offsets past them. So a second run of the same selection starts where the first
 * ended and moves 0; a run that crashed or failed moves on from its last committed poll (at most that poll's records
 * are produced again). Records dead-lettered again while it runs lie past its end and wait for the next run.
 *
 * <p>Every real run ends with one JSON audit record (key: the selection id) in the audit topic: when, the selection,
 * the counts, the result. A dry run reads the same records (from the same committed offsets) and writes nothing.
 */
final class RedriveRun {
    /** What a run needs besides the selection. */
    record Options(
            boolean dryRun,
            double recordsPerSecond,
            int maxAttempts,
            String parkingTopic,
            String auditTopic,
            Duration timeout) {}

    /** The outcome: counts, run id, and the failure (null when every selected record was handled). */
    record Result(String runId, RedriveTally tally, String failure) {}

    private final KafkaSettings kafka;
    private final PrintStream err;

    RedriveRun(KafkaSettings kafka, PrintStream err) {
        this.kafka = kafka;
        this.err = err;
    }

    Result run(RedriveSelection sel, Options o) throws Exception {
        Instant started = Instant.now();
        String runId = "rd-" + started.toEpochMilli() + "-" + sel.id().substring(4);
        RedriveTally tally = new RedriveTally();
        Map<TopicPartition, Long> start = new HashMap<>();
        Map<TopicPartition, Long> end = new HashMap<>();
        try (Admin admin = Admin.create(kafka.clientConfig(
                Map.of("request.timeout.ms", "15000", "default.api.timeout.ms", "15000"), Map.of()))) {
            TopicDescription dlq;
            try {
                dlq = admin.describeTopics(List.of(sel.dlqTopic()))
                        .allTopicNames()
                        .get(20, TimeUnit.SECONDS)
                        .get(sel.dlqTopic());
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                Throwable c = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
                throw new IllegalStateException(
                        c instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException
                                ? "the DLQ topic " + sel.dlqTopic()
                                        + " does not exist (--dlq-topic, pipelines[].dlqTopic)"
                                : "Kafka at " + kafka.bootstrapServers() + " did not describe " + sel.dlqTopic()
                                        + " within 20 s (" + c.getClass().getSimpleName()
                                        + "; check kafka.bootstrapServers and the TLS settings of --config)");
            }
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            dlq.partitions().forEach(p -> {
                earliest.put(new TopicPartition(sel.dlqTopic(), p.partition()), OffsetSpec.earliest());
                latest.put(new TopicPartition(sel.dlqTopic(), p.partition()), OffsetSpec.latest());
            });
            var first = admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS);
            var last = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> done = admin.listConsumerGroupOffsets(sel.progressGroup())
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            for (TopicPartition tp : earliest.keySet()) {
                long from = first.get(tp).offset();
                OffsetAndMetadata c = done.get(tp);
                long s = Math.max(from, c == null ? from : c.offset());
                start.put(tp, s);
                end.put(tp, last.get(tp).offset());
                tally.alreadyExamined += Math.max(0, Math.min(s, last.get(tp).offset()) - from);
            }
            if (!o.dryRun()) {
                short rf = (short) dlq.partitions().get(0).replicas().size();
                Topics.create(
                        kafka,
                        List.of(
                                new KafkaSettings.TopicSpec(
                                        o.parkingTopic(), dlq.partitions().size(), rf),
                                new KafkaSettings.TopicSpec(o.auditTopic(), 1, rf)));
            }
        }
        String failure;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(sel.progressGroup());
                KafkaProducer<byte[], byte[]> producer = o.dryRun() ? null : producer()) {
            failure = copy(consumer, producer, sel, o, runId, start, end, tally);
            if (!o.dryRun()) {
                audit(producer, sel, o, runId, started, tally, failure);
            }
        }
        return new Result(runId, tally, failure);
    }

    /** Reads [start, end) of every DLQ partition; redrives or parks the selected records; commits after acks. */
    private String copy(
            KafkaConsumer<byte[], byte[]> consumer,
            KafkaProducer<byte[], byte[]> producer,
            RedriveSelection sel,
            Options o,
            String runId,
            Map<TopicPartition, Long> start,
            Map<TopicPartition, Long> end,
            RedriveTally tally) {
        List<TopicPartition> open = new ArrayList<>();
        start.forEach((tp, s) -> {
            if (s < end.get(tp)) {
                open.add(tp);
            }
        });
        if (open.isEmpty()) {
            return null;
        }
        consumer.assign(open);
        open.forEach(tp -> consumer.seek(tp, start.get(tp)));
        TokenBucket bucket = new TokenBucket(o.recordsPerSecond(), 0, null, null, Long.MAX_VALUE, System::nanoTime);
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        long lastProgress = System.nanoTime();
        while (!open.isEmpty()) {
            ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(500));
            long sent = 0;
            for (ConsumerRecord<byte[], byte[]> r : polled) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() >= end.get(tp)) {
                    continue; // dead-lettered after this run started: the next run's
                }
                DeadLetter d = DeadLetter.of(r);
                RedriveTally.Fate fate = tally.count(d, sel, o.maxAttempts());
                if (o.dryRun() || fate == RedriveTally.Fate.SKIPPED) {
                    continue;
                }
                if (fate == RedriveTally.Fate.UNROUTABLE) {
                    tally.unroutable++;
                    continue;
                }
                ProducerRecord<byte[], byte[]> out = fate == RedriveTally.Fate.PARK
                        ? RedriveRecords.park(r, d, o.parkingTopic(), o.maxAttempts())
                        : RedriveRecords.redrive(r, d, sel.targetOf(d), runId);
                long wait = bucket.reserve(1, 0, Long.MAX_VALUE);
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // the rate limit: this thread is the command's own
                }
                producer.send(out, (md, e) -> {
                    if (e != null) {
                        sendFailure.compareAndSet(null, e);
                    }
                });
                sent++;
                if (fate == RedriveTally.Fate.PARK) {
                    tally.parked++;
                } else {
                    tally.redriven++;
                }
            }
            if (producer != null && sent > 0) {
                producer.flush(); // every send of this poll acknowledged (or failed) before its offsets are committed
            }
            if (sendFailure.get() != null) {
                return "a write failed: " + sendFailure.get() + "; the last poll's " + sent + " record(s) are not "
                        + "committed as done (counted above; run again: at most those are produced twice)";
            }
            Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
            for (TopicPartition tp : List.copyOf(open)) {
                long pos = Math.min(consumer.position(tp), end.get(tp));
                progress.put(tp, new OffsetAndMetadata(pos, runId));
                if (pos >= end.get(tp)) {
                    open.remove(tp);
                    consumer.pause(List.of(tp));
                }
            }
            if (!o.dryRun()) {
                consumer.commitSync(progress, Duration.ofSeconds(30));
            }
            if (!polled.isEmpty()) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > o.timeout().toNanos()) {
                return "no records read from " + open + " for " + o.timeout().toSeconds() + " s";
            }
        }
        return null;
    }

    private void audit(
            KafkaProducer<byte[], byte[]> producer,
            RedriveSelection sel,
            Options o,
            String runId,
            Instant started,
            RedriveTally tally,
            String failure)
            throws Exception {
        JsonObject a = new JsonObject()
                .put("runId", runId)
                .put("selectionId", sel.id())
                .put("startedAt", started.toString())
                .put("finishedAt", Instant.now().toString())
                .put("selection", sel.toJson())
                .put("recordsPerSecond", o.recordsPerSecond())
                .put("maxAttempts", o.maxAttempts())
                .put("parkingTopic", o.parkingTopic())
                .put("progressGroup", sel.progressGroup())
                .put("counts", tally.toJson())
                .put("result", failure == null ? "ok" : "failed: " + failure);
        producer.send(new ProducerRecord<>(
                        o.auditTopic(),
                        sel.id().getBytes(StandardCharsets.UTF_8),
                        a.encode().getBytes(StandardCharsets.UTF_8)))
                .get(60, TimeUnit.SECONDS);
        err.println("audit record written to " + o.auditTopic() + " (key " + sel.id() + ", run " + runId + ")");
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group) {
        Map<String, Object> m = kafka.clientConfig(Map.of(), Map.of());
        m.put("group.id", group);
        m.put("enable.auto.commit", "false");
        m.put("auto.offset.reset", "earliest");
        m.put("client.id", "sluice-redrive-" + ProcessHandle.current().pid());
        m.put("max.poll.records", "500");
        return new KafkaConsumer<>(m, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> m = kafka.clientConfig(Map.of(), Map.of());
        m.put("acks", "all");
        m.put("enable.idempotence", "true");
        m.put("linger.ms", "5");
        m.put("delivery.timeout.ms", "120000");
        m.put("client.id", "sluice-redrive-producer-" + ProcessHandle.current().pid());
        return new KafkaProducer<>(m, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
