package io.sluice.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Topic administration at start-up. Blocking: call off the event loop. */
public final class Topics {
    private Topics() {}

    /** Creates the topics that do not exist yet. */
    public static void create(KafkaSettings kafka, Collection<KafkaSettings.TopicSpec> topics) throws Exception {
        try (Admin admin = Admin.create(kafka.clientConfig(Map.of("request.timeout.ms", "15000"), Map.of()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> create = new ArrayList<>();
            for (KafkaSettings.TopicSpec t : topics) {
                if (!existing.contains(t.name())) {
                    create.add(new NewTopic(t.name(), t.partitions(), t.replicationFactor()));
                }
            }
            if (create.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(create).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            awaitLeaders(admin, create.stream().map(NewTopic::name).toList(), 30_000);
        }
    }

    /**
     * Waits (bounded) until every partition of {@code names} has a leader that serves requests. An
     * idempotent producer that sends to a partition before that gets NOT_LEADER_OR_FOLLOWER for its first
     * request while a later one is appended, and the first then fails with out-of-order sequence until
     * its delivery timeout (KAFKA-15591, KAFKA-14359).
     */
    public static void awaitLeaders(Admin admin, List<String> names, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            boolean ready;
            try {
                var described = admin.describeTopics(names)
                        .allTopicNames()
                        .get(10, TimeUnit.SECONDS)
                        .values();
                ready = described.stream()
                        .allMatch(d -> d.partitions().stream()
                                .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (ready) {
                    // ListOffsets is answered by each partition's leader replica itself: once it succeeds the
                    // leader accepts produce requests (describeTopics alone can run ahead of it, KAFKA-15591).
                    java.util.Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>
                            all = new java.util.HashMap<>();
                    described.forEach(d -> d.partitions()
                            .forEach(p -> all.put(
                                    new org.apache.kafka.common.TopicPartition(d.name(), p.partition()),
                                    org.apache.kafka.clients.admin.OffsetSpec.latest())));
                    admin.listOffsets(all).all().get(10, TimeUnit.SECONDS);
                }
            } catch (ExecutionException e) {
                ready = false; // metadata not propagated yet
            }
            if (ready) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(
                        "partitions of " + names + " have no leader after " + timeoutMs + " ms");
            }
            Thread.sleep(100); // blocking start-up helper, never on an event loop
        }
    }

    /**
     * Throws {@link IllegalStateException} naming the topics of {@code required} the cluster does not have
     * (a fatal start-up error: the producer would otherwise block on metadata and time out per event).
     */
    public static void requireExisting(KafkaSettings kafka, Collection<String> required) throws Exception {
        try (Admin admin = Admin.create(kafka.clientConfig(Map.of("request.timeout.ms", "15000"), Map.of()))) {
            Set<String> existing;
            try {
                existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + " did not answer within 30 s");
            }
            Set<String> missing = new TreeSet<>(required);
            missing.removeAll(existing);
            if (!missing.isEmpty()) {
                throw new IllegalStateException("topics missing on " + kafka.bootstrapServers() + ": " + missing);
            }
        }
    }
}
