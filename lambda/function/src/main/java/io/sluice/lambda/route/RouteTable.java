package io.sluice.lambda.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable, validated route table: code to target names, default targets, unknown-code policy, targets.
 *
 * <p>JSON (the {@code SLUICE_ROUTES} environment variable):
 * <pre>{@code
 * {
 *   "targets": {
 *     "sink":  {"type": "http", "url": "https://example.com/events", "timeoutMs": 5000},
 *     "audit": {"type": "log"}
 *   },
 *   "routes": {"301": ["sink"], "302": ["sink", "audit"]},
 *   "default": ["sink"],
 *   "unknownCode": "default"        // default | invalid | drop
 * }
 * }</pre>
 * {@code timeoutMs} is optional (default 5000, 1..900000). {@code unknownCode} defaults to {@code default}
 * when {@code default} is non-empty, otherwise to {@code invalid}.
 */
public final class RouteTable {

    /** Largest accepted target timeout: the Lambda maximum of 15 minutes. */
    public static final long MAX_TIMEOUT_MS = 900_000L;

    private static final Set<String> TOP_LEVEL = Set.of("targets", "routes", "default", "unknownCode");
    private static final Set<String> TARGET_FIELDS = Set.of("type", "url", "timeoutMs");

    private final Map<String, TargetSpec> targets;
    private final Map<Integer, List<String>> routes;
    private final List<String> defaultTargets;
    private final UnknownCodePolicy unknownCodePolicy;

    public RouteTable(
            Map<String, TargetSpec> targets,
            Map<Integer, List<String>> routes,
            List<String> defaultTargets,
            UnknownCodePolicy unknownCodePolicy) {
        this.targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
        Map<Integer, List<String>> r = new LinkedHashMap<>();
        routes.forEach((k, v) -> r.put(k, List.copyOf(v)));
        this.routes = Collections.unmodifiableMap(r);
        this.defaultTargets = List.copyOf(defaultTargets);
        this.unknownCodePolicy = unknownCodePolicy;
        validate();
    }

    /** Every code goes to one HTTP target (what the local endpoint configures for the sink). */
    public static RouteTable singleHttpTarget(String name, URI url, Duration timeout) {
        return new RouteTable(
                Map.of(name, TargetSpec.http(name, url, timeout)), Map.of(), List.of(name), UnknownCodePolicy.DEFAULT);
    }

    public static RouteTable fromJson(String json, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("route table is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("route table must be a JSON object with fields " + TOP_LEVEL);
        }
        rejectUnknown(root, TOP_LEVEL, "route table");
        JsonNode t = root.get("targets");
        if (t == null || !t.isObject() || t.isEmpty()) {
            throw new IllegalArgumentException(
                    "route table field 'targets' must be a non-empty object of name -> target");
        }
        Map<String, TargetSpec> targets = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = t.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            targets.put(e.getKey(), parseTarget(e.getKey(), e.getValue()));
        }
        Map<Integer, List<String>> routes = new LinkedHashMap<>();
        JsonNode r = root.get("routes");
        if (r != null && !r.isNull()) {
            if (!r.isObject()) {
                throw new IllegalArgumentException(
                        "route table field 'routes' must be an object of code -> [target names]");
            }
            Iterator<Map.Entry<String, JsonNode>> rit = r.fields();
            while (rit.hasNext()) {
                Map.Entry<String, JsonNode> e = rit.next();
                int code;
                try {
                    code = Integer.parseInt(e.getKey().trim());
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("routes key '" + e.getKey() + "' must be an integer code", ex);
                }
                routes.put(code, names(e.getValue(), "routes." + e.getKey()));
            }
        }
        List<String> defaults = root.hasNonNull("default") ? names(root.get("default"), "default") : List.of();
        UnknownCodePolicy policy;
        JsonNode p = root.get("unknownCode");
        if (p == null || p.isNull()) {
            policy = defaults.isEmpty() ? UnknownCodePolicy.INVALID : UnknownCodePolicy.DEFAULT;
        } else {
            try {
                policy = UnknownCodePolicy.valueOf(p.asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(
                        "route table field 'unknownCode' must be one of default, invalid, drop" + " but was " + p, ex);
            }
        }
        return new RouteTable(targets, routes, defaults, policy);
    }

    private static TargetSpec parseTarget(String name, JsonNode n) {
        String where = "targets." + name;
        if (!n.isObject()) {
            throw new IllegalArgumentException(where + " must be an object with fields " + TARGET_FIELDS);
        }
        rejectUnknown(n, TARGET_FIELDS, where);
        String type = n.path("type").asText("");
        switch (type) {
            case "log":
                return TargetSpec.log(name);
            case "http":
                String url = n.path("url").asText("");
                URI uri;
                try {
                    uri = new URI(url);
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException(where + ".url is not a valid URI: " + url, e);
                }
                if (uri.getScheme() == null
                        || !Set.of("http", "https").contains(uri.getScheme())
                        || uri.getHost() == null) {
                    throw new IllegalArgumentException(
                            where + ".url must be an absolute http(s) URL but was '" + url + "'");
                }
                long timeoutMs = TargetSpec.DEFAULT_TIMEOUT.toMillis();
                if (n.has("timeoutMs")) {
                    JsonNode tm = n.get("timeoutMs");
                    if (!tm.isIntegralNumber() || tm.longValue() < 1 || tm.longValue() > MAX_TIMEOUT_MS) {
                        throw new IllegalArgumentException(
                                where + ".timeoutMs must be an integer in 1.." + MAX_TIMEOUT_MS + " but was " + tm);
                    }
                    timeoutMs = tm.longValue();
                }
                return TargetSpec.http(name, uri, Duration.ofMillis(timeoutMs));
            default:
                throw new IllegalArgumentException(where + ".type must be \"http\" or \"log\" but was '" + type + "'");
        }
    }

    private static List<String> names(JsonNode n, String where) {
        if (!n.isArray()) {
            throw new IllegalArgumentException(where + " must be an array of target names");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode x : n) {
            if (!x.isTextual()) {
                throw new IllegalArgumentException(where + " must contain target names (strings) but had " + x);
            }
            out.add(x.textValue());
        }
        return out;
    }

    private static void rejectUnknown(JsonNode n, Set<String> allowed, String where) {
        n.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw new IllegalArgumentException(where + " has unknown field '" + f + "'; allowed: " + allowed);
            }
        });
    }

    private void validate() {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("route table needs at least one target");
        }
        routes.forEach((code, names) -> {
            if (names.isEmpty()) {
                throw new IllegalArgumentException("routes." + code + " must name at least one target");
            }
            names.forEach(n -> requireTarget(n, "routes." + code));
        });
        defaultTargets.forEach(n -> requireTarget(n, "default"));
        if (unknownCodePolicy == null) {
            throw new IllegalArgumentException("unknownCode policy is required");
        }
        if (unknownCodePolicy == UnknownCodePolicy.DEFAULT && defaultTargets.isEmpty()) {
            throw new IllegalArgumentException("unknownCode 'default' needs a non-empty 'default' target list");
        }
    }

    private void requireTarget(String name, String where) {
        if (!targets.containsKey(name)) {
            throw new IllegalArgumentException(
                    where + " names unknown target '" + name + "'; known: " + targets.keySet());
        }
    }

    /**
     * Targets for a code: its route, else (policy DEFAULT) the default targets, else empty (the caller
     * applies {@link #unknownCodePolicy()}).
     */
    public Optional<List<String>> targetsFor(int code) {
        List<String> r = routes.get(code);
        if (r != null) {
            return Optional.of(r);
        }
        return unknownCodePolicy == UnknownCodePolicy.DEFAULT ? Optional.of(defaultTargets) : Optional.empty();
    }

    public Map<String, TargetSpec> targets() {
        return targets;
    }

    public Map<Integer, List<String>> routes() {
        return routes;
    }

    public List<String> defaultTargets() {
        return defaultTargets;
    }

    public UnknownCodePolicy unknownCodePolicy() {
        return unknownCodePolicy;
    }
}
