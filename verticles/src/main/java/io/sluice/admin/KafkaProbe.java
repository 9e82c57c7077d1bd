package io.sluice.admin;

import io.sluice.kafka.KafkaSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.KafkaFuture;

/**
 * Asks Kafka, through an {@link Admin} client whose futures complete on its own thread, whether the
 * cluster answers, and whether a consumer group with no partitions for us is legitimately idle. Every
 * answer comes back on the admin verticle's context; nothing blocks an event loop.
 */
final class KafkaProbe {
    private static final int TIMEOUT_MS = 3_000;

    /** The last cluster check. */
    record Health(boolean ok, String detail, long atMs) {}

    private final Vertx vertx;
    private final Context context;
    private final KafkaSettings kafka;
    private Admin admin;
    private boolean checking;
    private volatile Health last = new Health(false, "not checked yet", 0);

    KafkaProbe(Vertx vertx, Context context, KafkaSettings kafka) {
        this.vertx = vertx;
        this.context = context;
        this.kafka = kafka;
    }

    Future<Void> start() {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("client.id", "sluice-admin-" + ProcessHandle.current().pid());
        defaults.put("request.timeout.ms", Integer.toString(TIMEOUT_MS));
        defaults.put("default.api.timeout.ms", Integer.toString(TIMEOUT_MS * 2));
        return vertx.executeBlocking(() -> Admin.create(kafka.clientConfig(defaults, Map.of())))
                .map(a -> {
                    admin = a;
                    return null;
                });
    }

    /** Refreshes {@link #health()} (no-op while a check is running). */
    void check() {
        if (admin == null || checking) {
            return;
        }
        checking = true;
        var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS));
        on(cluster.nodes())
                .onComplete(ar -> checking = false)
                .onSuccess(nodes -> last = nodes.isEmpty()
                        ? new Health(false, "the cluster reports no brokers", System.currentTimeMillis())
                        : new Health(true, nodes.size() + " broker(s) answer", System.currentTimeMillis()))
                .onFailure(err -> last =
                        new Health(false, "Kafka did not answer: " + rootMessage(err), System.currentTimeMillis()));
    }

    Health health() {
        return last;
    }

    /**
     * Whether a member with no partitions is legitimately idle: the group is stable and every partition
     * of {@code topics} is owned by some member (there are more members than partitions).
     * Completes with null when idle is legitimate, or with the reason it is not.
     */
    Future<String> idleReason(String groupId, Collection<String> topics) {
        if (admin == null) {
            return Future.succeededFuture("Kafka admin client not started");
        }
        return describe(groupId, topics)
                .map(d -> {
                    ConsumerGroupDescription g = d.group();
                    if (g.state() != ConsumerGroupState.STABLE) {
                        return "group " + groupId + " is " + g.state() + " (rebalancing or empty)";
                    }
                    int total = d.partitions();
                    int owned = 0;
                    for (MemberDescription m : g.members()) {
                        owned += (int) m.assignment().topicPartitions().stream()
                                .filter(tp -> topics.contains(tp.topic()))
                                .count();
                    }
                    if (owned >= total) {
                        return null;
                    }
                    return "no partitions assigned, and " + (total - owned) + " of " + total + " partition(s) of "
                            + topics + " have no owner in group " + groupId;
                })
                .recover(err -> Future.succeededFuture("cannot describe group " + groupId + ": " + rootMessage(err)));
    }

    /** The group's members and the partitions of {@code topics}: {@code [members, partitions]} (scaling signal). */
    Future<int[]> groupShape(String groupId, Collection<String> topics) {
        if (admin == null) {
            return Future.failedFuture("Kafka admin client not started");
        }
        return describe(groupId, topics).map(d -> new int[] {d.group().members().size(), d.partitions()});
    }

    /** A group and the partition count of its topics. */
    private record Described(ConsumerGroupDescription group, int partitions) {}

    private Future<Described> describe(String groupId, Collection<String> topics) {
        Future<ConsumerGroupDescription> group = on(admin.describeConsumerGroups(
                        List.of(groupId), new DescribeConsumerGroupsOptions().timeoutMs(TIMEOUT_MS))
                .describedGroups()
                .get(groupId));
        Future<Map<String, TopicDescription>> described =
                on(admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(TIMEOUT_MS))
                        .allTopicNames());
        return Future.all(group, described)
                .map(v -> new Described(
                        group.result(),
                        described.result().values().stream()
                                .mapToInt(t -> t.partitions().size())
                                .sum()));
    }

    private <T> Future<T> on(KafkaFuture<T> f) {
        return Future.fromCompletionStage(f.toCompletionStage(), context);
    }

    Future<Void> close() {
        Admin a = admin;
        admin = null;
        if (a == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            a.close(Duration.ofSeconds(2));
            return null;
        });
    }

    private static String rootMessage(Throwable t) {
        Throwable e = t;
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
