package io.sluice.locallambda;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;

/**
 * Immutable, validated options of the local endpoint (withers return copies).
 *
 * <p>JSON keys for {@link #fromJson}: {@code host} (default 127.0.0.1), {@code port} (default 0 = a free port),
 * {@code dispatcherFunctionName} (default "dispatcher"; null = host no dispatcher), {@code concurrency}
 * (default 100, 1..10000: reserved concurrency of the dispatcher), {@code timeoutMs} (default 30000,
 * 1..900000: the dispatcher's function timeout), {@code dedupeCapacity} (default 100000, 0 disables: the
 * dispatcher's LRU of delivered keys), {@code sinkTimeoutMs} (default 10000: the dispatcher's HTTP timeout
 * towards the sink), {@code dedupeMode} ({@code off | memory | dynamodb}, default memory: the dispatcher's dedupe
 * store, see {@link LocalDedupe}), {@code dedupeEndpoint} (dynamodb: a DynamoDB-compatible endpoint; absent = the
 * server starts a {@link Dynalite}), {@code dedupeTable} (default sluice-dedupe), {@code dedupeOnlySuspects}
 * (default false).
 */
public final class LocalLambdaOptions {

    private static final Set<String> KEYS = Set.of(
            "host",
            "port",
            "dispatcherFunctionName",
            "concurrency",
            "timeoutMs",
            "dedupeCapacity",
            "sinkTimeoutMs",
            "dedupeMode",
            "dedupeEndpoint",
            "dedupeTable",
            "dedupeOnlySuspects");

    private final String host;
    private final int port;
    private final String dispatcherFunctionName;
    private final int concurrency;
    private final Duration timeout;
    private final int dedupeCapacity;
    private final Duration sinkTimeout;
    private final LocalDedupe dedupe;

    private LocalLambdaOptions(
            String host,
            int port,
            String dispatcherFunctionName,
            int concurrency,
            Duration timeout,
            int dedupeCapacity,
            Duration sinkTimeout,
            LocalDedupe dedupe) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must be a non-empty host name or address");
        }
        range("port", port, 0, 65_535);
        if (dispatcherFunctionName != null && !dispatcherFunctionName.matches("[a-zA-Z0-9-_]{1,64}")) {
            throw new IllegalArgumentException(
                    "dispatcherFunctionName must match [a-zA-Z0-9-_]{1,64} but was '" + dispatcherFunctionName + "'");
        }
        range("concurrency", concurrency, 1, 10_000);
        range("timeoutMs", timeout.toMillis(), 1, 900_000);
        range("dedupeCapacity", dedupeCapacity, 0, 10_000_000);
        range("sinkTimeoutMs", sinkTimeout.toMillis(), 1, 900_000);
        this.host = host;
        this.port = port;
        this.dispatcherFunctionName = dispatcherFunctionName;
        this.concurrency = concurrency;
        this.timeout = timeout;
        this.dedupeCapacity = dedupeCapacity;
        this.sinkTimeout = sinkTimeout;
        this.dedupe = java.util.Objects.requireNonNull(dedupe, "dedupe");
    }

    public static LocalLambdaOptions defaults() {
        return new LocalLambdaOptions(
                "127.0.0.1",
                0,
                "dispatcher",
                100,
                Duration.ofSeconds(30),
                100_000,
                Duration.ofSeconds(10),
                LocalDedupe.memory());
    }

    public static LocalLambdaOptions fromJson(JsonObject json) {
        for (String k : json.fieldNames()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown local lambda option '" + k + "'; allowed: " + KEYS);
            }
        }
        LocalLambdaOptions d = defaults();
        try {
            return new LocalLambdaOptions(
                    json.getString("host", d.host),
                    json.getInteger("port", d.port),
                    json.containsKey("dispatcherFunctionName")
                            ? json.getString("dispatcherFunctionName")
                            : d.dispatcherFunctionName,
                    json.getInteger("concurrency", d.concurrency),
                    Duration.ofMillis(json.getLong("timeoutMs", d.timeout.toMillis())),
                    json.getInteger("dedupeCapacity", d.dedupeCapacity),
                    Duration.ofMillis(json.getLong("sinkTimeoutMs", d.sinkTimeout.toMillis())),
                    new LocalDedupe(
                            json.getString("dedupeMode", d.dedupe.mode()),
                            json.getString("dedupeEndpoint") == null
                                    ? null
                                    : java.net.URI.create(json.getString("dedupeEndpoint")),
                            json.getString("dedupeTable"),
                            json.getBoolean("dedupeOnlySuspects", false)));
        } catch (ClassCastException e) {
            throw new IllegalArgumentException(
                    "local lambda options have a value of the wrong type: " + e.getMessage(), e);
        }
    }

    public LocalLambdaOptions withHost(String v) {
        return new LocalLambdaOptions(
                v, port, dispatcherFunctionName, concurrency, timeout, dedupeCapacity, sinkTimeout, dedupe);
    }

    public LocalLambdaOptions withPort(int v) {
        return new LocalLambdaOptions(
                host, v, dispatcherFunctionName, concurrency, timeout, dedupeCapacity, sinkTimeout, dedupe);
    }

    /** Null: start without the dispatcher function. */
    public LocalLambdaOptions withDispatcherFunctionName(String v) {
        return new LocalLambdaOptions(host, port, v, concurrency, timeout, dedupeCapacity, sinkTimeout, dedupe);
    }

    public LocalLambdaOptions withConcurrency(int v) {
        return new LocalLambdaOptions(
                host, port, dispatcherFunctionName, v, timeout, dedupeCapacity, sinkTimeout, dedupe);
    }

    public LocalLambdaOptions withTimeout(Duration v) {
        return new LocalLambdaOptions(
                host, port, dispatcherFunctionName, concurrency, v, dedupeCapacity, sinkTimeout, dedupe);
    }

    public LocalLambdaOptions withDedupeCapacity(int v) {
        return new LocalLambdaOptions(host, port, dispatcherFunctionName, concurrency, timeout, v, sinkTimeout, dedupe);
    }

    public LocalLambdaOptions withSinkTimeout(Duration v) {
        return new LocalLambdaOptions(
                host, port, dispatcherFunctionName, concurrency, timeout, dedupeCapacity, v, dedupe);
    }

    /** The dispatcher's dedupe store. */
    public LocalLambdaOptions withDedupe(LocalDedupe v) {
        return new LocalLambdaOptions(
                host, port, dispatcherFunctionName, concurrency, timeout, dedupeCapacity, sinkTimeout, v);
    }

    public LocalDedupe dedupe() {
        return dedupe;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String dispatcherFunctionName() {
        return dispatcherFunctionName;
    }

    public int concurrency() {
        return concurrency;
    }

    public Duration timeout() {
        return timeout;
    }

    public int dedupeCapacity() {
        return dedupeCapacity;
    }

    public Duration sinkTimeout() {
        return sinkTimeout;
    }

    private static void range(String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + " but was " + v);
        }
    }

    @Override
    public String toString() {
        return "LocalLambdaOptions{host=" + host + ", port=" + port + ", dispatcherFunctionName="
                + dispatcherFunctionName
                + ", concurrency=" + concurrency + ", timeout=" + timeout + ", dedupeCapacity=" + dedupeCapacity
                + ", sinkTimeout=" + sinkTimeout + ", dedupe=" + dedupe + "}";
    }
}
