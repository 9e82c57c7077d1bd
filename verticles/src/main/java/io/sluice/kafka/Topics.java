package io.sluice.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Topic administration at start-up. Blocking: call off the event loop. */
public final class Topics {
    private Topics() {
    }

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
