package io.sluice.kafka;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Connection settings shared by every Kafka client of the process.
 *
 * @param bootstrapServers  {@code host:port[,host:port]}; in local mode filled in from the embedded broker
 * @param clientProperties  extra client properties for producers, consumers and admin clients
 *                          (security settings live here, e.g. {@code security.protocol=SSL})
 * @param topics            topics to create at start when {@code createTopics} is true
 * @param createTopics      create missing topics at start (local mode, tests)
 */
public record KafkaSettings(
        String bootstrapServers, Map<String, String> clientProperties, List<TopicSpec> topics, boolean createTopics) {

    /** A topic to create: name, partitions, replication factor. */
    public record TopicSpec(String name, int partitions, short replicationFactor) {}

    public KafkaSettings {
        clientProperties = Map.copyOf(clientProperties);
        topics = List.copyOf(topics);
    }

    private static final Key<String> BOOTSTRAP_SERVERS = Key.string(
            "bootstrapServers", null, "host:port[,host:port...]; required unless embedded.enabled (which fills it in)");
    private static final Key<Map<String, String>> CLIENT_PROPERTIES = Key.properties(
            "clientProperties", "properties for every Kafka client (SASL etc.; TLS belongs in kafka.tls)");
    private static final Key<String> TOPIC_NAME = Key.required("name", "topic name");
    private static final Key<Integer> TOPIC_PARTITIONS = Key.integer("partitions", 1, 1, 10_000, "partitions");
    private static final Key<Integer> TOPIC_REPLICATION =
            Key.integer("replicationFactor", 1, 1, 7, "replication factor");
    private static final Key<List<Cfg>> TOPICS = Key.objects(
            "topics",
            Section.of(
                    "topics created at start when " + "createTopics", TOPIC_NAME, TOPIC_PARTITIONS, TOPIC_REPLICATION));
    private static final Key<Boolean> CREATE_TOPICS = Key.bool("createTopics", false, "create missing topics at start");
    /** {@code kafka}. */
    public static final Section SECTION = Section.of(
            "the Kafka cluster",
            BOOTSTRAP_SERVERS,
            CLIENT_PROPERTIES,
            TOPICS,
            CREATE_TOPICS,
            io.sluice.tls.TlsSettings.KAFKA_TLS);

    public static KafkaSettings from(Cfg c) {
        String bootstrap = c.get(BOOTSTRAP_SERVERS);
        Map<String, String> props = c.get(CLIENT_PROPERTIES);
        List<TopicSpec> topics = c.get(TOPICS).stream()
                .map(t -> {
                    TopicSpec spec = new TopicSpec(
                            t.get(TOPIC_NAME), t.get(TOPIC_PARTITIONS), (short) (int) t.get(TOPIC_REPLICATION));
                    t.done();
                    return spec;
                })
                .toList();
        boolean create = c.get(CREATE_TOPICS);
        c.done();
        if (bootstrap != null && !bootstrap.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*")) {
            throw new ConfigException(
                    c.key("bootstrapServers"), "must be host:port[,host:port...], got '" + bootstrap + "'");
        }
        return new KafkaSettings(bootstrap, props, topics, create);
    }

    public KafkaSettings withBootstrapServers(String servers) {
        return new KafkaSettings(servers, clientProperties, topics, createTopics);
    }

    /**
     * These settings with the client properties of {@code kafka.tls} added (see {@link io.sluice.tls.TlsSettings}).
     * TLS is configured in one place: {@code security.protocol} or {@code ssl.*} in {@code kafka.clientProperties}
     * next to an enabled {@code kafka.tls} is an error.
     */
    public KafkaSettings withTls(io.sluice.tls.TlsSettings tls) {
        if (!tls.enabled()) {
            return this;
        }
        for (String k : clientProperties.keySet()) {
            if (k.equals("security.protocol") || k.startsWith("ssl.")) {
                throw new ConfigException(
                        "kafka.clientProperties." + k,
                        "conflicts with kafka.tls (enabled); configure TLS in one place");
            }
        }
        Map<String, String> merged = new HashMap<>(clientProperties);
        merged.putAll(tls.clientProperties());
        return new KafkaSettings(bootstrapServers, merged, topics, createTopics);
    }

    /** Secrets (passwords, keys, tokens) in the client properties are redacted. */
    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", clientProperties="
                + io.sluice.tls.Secrets.redact(clientProperties) + ", topics=" + topics + ", createTopics="
                + createTopics + "]";
    }

    /** Client properties with bootstrap servers, then {@code overrides} on top. */
    public Map<String, Object> clientConfig(Map<String, ?> defaults, Map<String, String> overrides) {
        if (bootstrapServers == null) {
            throw new ConfigException("kafka.bootstrapServers", "is required when the embedded broker is not enabled");
        }
        Map<String, Object> m = new HashMap<>(defaults);
        m.putAll(clientProperties);
        m.putAll(overrides);
        m.put("bootstrap.servers", bootstrapServers);
        return m;
    }
}
