package io.sluice.producer;

import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Chooses the Kafka topic (a business domain) for an event from its business {@code code}.
 *
 * <p>Codes are never turned into topic names: every topic comes from configuration. Routing is a
 * lookup table built once from JSON:
 *
 * <pre>{@code
 * "routing": {
 *   "priority":     {"codes": [300], "topic": "high-priority"},     // optional, evaluated first
 *   "rules":        [{"codes": [300, 301], "topic": "mt-c300"},
 *                    {"codes": [400, 401], "topic": "mt-c400"}],    // evaluated in order
 *   "defaultTopic": "mt-c400"                                         // optional
 * }
 * }</pre>
 *
 * <p>A code may appear in the priority rule and in one ordinary rule (the priority rule wins); a code
 * listed in two ordinary rules, or twice in one rule, is a configuration error. A code no rule lists
 * goes to {@code defaultTopic}, or, without one, {@link #route(int)} answers empty and the caller
 * rejects the event as {@value ValidationResult#UNKNOWN_CODE}.
 *
 * <p>Immutable and thread-safe.
 */
public final class TopicRouter {

    /** Longest topic name Kafka accepts. */
    public static final int MAX_TOPIC_LENGTH = 249;

    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final Set<String> KNOWN_KEYS = Set.of("rules", "defaultTopic", "priority");
    private static final Set<String> RULE_KEYS = Set.of("codes", "topic");

    private final int[] codes; // ascending; topicOfCode[i] is the topic of codes[i] (no boxing per event)
    private final String[] topicOfCode;
    private final String defaultTopic;
    private final Set<String> topics;

    private TopicRouter(Map<Integer, String> topicByCode, String defaultTopic, Set<String> topics) {
        this.codes = topicByCode.keySet().stream()
                .mapToInt(Integer::intValue)
                .sorted()
                .toArray();
        this.topicOfCode = new String[codes.length];
        for (int i = 0; i < codes.length; i++) {
            topicOfCode[i] = topicByCode.get(codes[i]);
        }
        this.defaultTopic = defaultTopic;
        this.topics = Collections.unmodifiableSet(new LinkedHashSet<>(topics));
    }

    /**
     * Builds a router from its JSON configuration and validates it.
     *
     * @param routing the routing object (see the class comment); unknown keys are rejected
     * @param path    dotted path of {@code routing} in the whole configuration, used in error messages
     * @return the router
     * @throws ConfigException naming the offending key and what is allowed
     */
    public static TopicRouter fromJson(JsonObject routing, String path) {
        if (routing == null) {
            throw new ConfigException(path, "is required (an object with 'rules' and/or 'defaultTopic')");
        }
        requireKnownKeys(routing, path, KNOWN_KEYS);

        Map<Integer, String> byCode = new HashMap<>();
        Set<String> topics = new LinkedHashSet<>();

        Object priorityValue = routing.getValue("priority");
        if (priorityValue != null) {
            String priorityPath = path + ".priority";
            JsonObject priority = asObject(priorityValue, priorityPath);
            requireKnownKeys(priority, priorityPath, RULE_KEYS);
            String topic = topic(priority.getValue("topic"), priorityPath + ".topic");
            for (int code : codes(priority.getValue("codes"), priorityPath + ".codes")) {
                byCode.put(code, topic);
            }
            topics.add(topic);
        }

        Object rulesValue = routing.getValue("rules");
        String rulesPath = path + ".rules";
        JsonArray rules;
        if (rulesValue == null) {
            rules = new JsonArray();
        } else if (rulesValue instanceof JsonArray array) {
            rules = array;
        } else {
            throw new ConfigException(
                    rulesPath, "must be an array of {\"codes\":[...],\"topic\":\"...\"}, got " + describe(rulesValue));
        }
        Map<Integer, String> ruleOfCode = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            String rulePath = rulesPath + "[" + i + "]";
            JsonObject rule = asObject(rules.getValue(i), rulePath);
            requireKnownKeys(rule, rulePath, RULE_KEYS);
            String topic = topic(rule.getValue("topic"), rulePath + ".topic");
            for (int code : codes(rule.getValue("codes"), rulePath + ".codes")) {
                String previous = ruleOfCode.putIfAbsent(code, rulePath);
                if (previous != null) {
                    throw new ConfigException(
                            rulePath + ".codes",
                            "code " + code + " is already routed by " + previous
                                    + "; a code may be listed in one rule only");
                }
                byCode.putIfAbsent(code, topic); // priority, put first, wins
            }
            topics.add(topic);
        }

        Object defaultValue = routing.getValue("defaultTopic");
        String defaultTopic = null;
        if (defaultValue != null) {
            defaultTopic = topic(defaultValue, path + ".defaultTopic");
            topics.add(defaultTopic);
        }
        if (topics.isEmpty()) {
            throw new ConfigException(rulesPath, "at least one rule or a defaultTopic is required");
        }
        return new TopicRouter(byCode, defaultTopic, topics);
    }

    /**
     * The topic for a business code: the priority rule, then the rules in order, then the default topic.
     *
     * @param code the event's business code
     * @return the topic, or empty when no rule lists the code and there is no default topic
     */
    public Optional<String> route(int code) {
        int i = Arrays.binarySearch(codes, code);
        return Optional.ofNullable(i >= 0 ? topicOfCode[i] : defaultTopic);
    }

    /** Every topic this router can answer (priority, rule and default topics), in configuration order. */
    public Set<String> topics() {
        return topics;
    }

    /** The default topic for codes no rule lists, if one is configured. */
    public Optional<String> defaultTopic() {
        return Optional.ofNullable(defaultTopic);
    }

    /**
     * Whether {@code name} is a legal Kafka topic name: 1 to {@value #MAX_TOPIC_LENGTH} characters of
     * {@code [a-zA-Z0-9._-]}, and not {@code "."} or {@code ".."}.
     */
    public static boolean isLegalTopicName(String name) {
        return name != null
                && !name.isEmpty()
                && name.length() <= MAX_TOPIC_LENGTH
                && LEGAL_TOPIC.matcher(name).matches()
                && !name.equals(".")
                && !name.equals("..");
    }

    @Override
    public String toString() {
        return "TopicRouter{topics=" + topics + ", codes=" + codes.length + ", defaultTopic=" + defaultTopic + "}";
    }

    private static String topic(Object value, String path) {
        if (!(value instanceof String name)) {
            throw new ConfigException(
                    path,
                    "must be a topic name (1-" + MAX_TOPIC_LENGTH + " characters of [a-zA-Z0-9._-]), got "
                            + describe(value));
        }
        if (!isLegalTopicName(name)) {
            throw new ConfigException(
                    path,
                    "must be a topic name of 1-" + MAX_TOPIC_LENGTH
                            + " characters of [a-zA-Z0-9._-], not '.' or '..', got '" + abbreviate(name) + "'");
        }
        return name;
    }

    private static List<Integer> codes(Object value, String path) {
        if (!(value instanceof JsonArray array) || array.isEmpty()) {
            throw new ConfigException(
                    path,
                    "must be a non-empty array of codes (integers 0-" + Integer.MAX_VALUE + "), got "
                            + describe(value));
        }
        Set<Integer> seen = new LinkedHashSet<>();
        for (int i = 0; i < array.size(); i++) {
            Object element = array.getValue(i);
            Integer code = nonNegativeInt(element);
            if (code == null) {
                throw new ConfigException(
                        path + "[" + i + "]",
                        "must be an integer 0-" + Integer.MAX_VALUE + ", got " + describe(element));
            }
            if (!seen.add(code)) {
                throw new ConfigException(path, "code " + code + " is listed twice");
            }
        }
        return List.copyOf(seen);
    }

    private static Integer nonNegativeInt(Object value) {
        BigDecimal number;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            number = BigDecimal.valueOf(((Number) value).longValue());
        } else if (value instanceof BigInteger big) {
            number = new BigDecimal(big);
        } else if (value instanceof BigDecimal decimal) {
            number = decimal;
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                return null;
            }
            number = BigDecimal.valueOf(d);
        } else {
            return null;
        }
        if (number.signum() < 0 || number.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            return null;
        }
        try {
            return number.intValueExact();
        } catch (ArithmeticException notIntegral) {
            return null;
        }
    }

    private static JsonObject asObject(Object value, String path) {
        if (value instanceof JsonObject object) {
            return object;
        }
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) map;
            return new JsonObject(typed);
        }
        throw new ConfigException(
                path, "must be an object {\"codes\":[...],\"topic\":\"...\"}, got " + describe(value));
    }

    private static void requireKnownKeys(JsonObject json, String path, Set<String> allowed) {
        for (String key : json.fieldNames()) {
            if (!allowed.contains(key)) {
                throw new ConfigException(
                        path + "." + key, "unknown key; allowed keys are " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String s) {
            return "'" + abbreviate(s) + "'";
        }
        return abbreviate(String.valueOf(value));
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
