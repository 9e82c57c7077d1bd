package io.sluice.locallambda;

import io.sluice.lambda.dedupe.DedupeStore;
import io.sluice.lambda.dedupe.DynamoDbDedupeStore;
import io.sluice.locallambda.internal.FunctionHost;
import io.sluice.locallambda.internal.FunctionRegistry;
import io.sluice.locallambda.internal.LocalLambdaVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A local endpoint speaking the Lambda Invoke REST API, hosting functions by name, with runtime fault
 * injection and a downstream sink, all on one port.
 *
 * <p>HTTP surface:
 * <ul>
 *   <li>{@code POST /2015-03-31/functions/{name}/invocations} — Lambda Invoke (use the AWS SDK with
 *       {@code endpointOverride(endpoint())}).</li>
 *   <li>{@code GET /local/functions}; {@code GET|PUT|DELETE /local/functions/{name}/faults} — see
 *       {@link FaultSettings}.</li>
 *   <li>{@code POST /sink/events}, {@code GET /sink/stats}, {@code POST /sink/reset},
 *       {@code GET|PUT|DELETE /sink/faults} — see {@link SinkStore}, {@link SinkFaults}.</li>
 * </ul>
 */
public final class LocalLambdaServer {

    private static final Logger LOG = LoggerFactory.getLogger(LocalLambdaServer.class);

    private final Vertx vertx;
    private final LocalLambdaOptions options;
    private final FunctionRegistry registry = new FunctionRegistry();
    private final SinkStore sink = new SinkStore();
    private final SinkFaults sinkFaults = new SinkFaults();
    private volatile String deploymentId;
    private volatile int port;
    private volatile Dynalite dynalite;
    private volatile DedupeStore dedupeStore;
    private volatile FunctionDuplicates functionDuplicates;

    private LocalLambdaServer(Vertx vertx, LocalLambdaOptions options) {
        this.vertx = vertx;
        this.options = options;
    }

    /**
     * Starts the server; when {@link LocalLambdaOptions#dispatcherFunctionName()} is set, also registers the
     * dispatcher function routing every code to {@code <endpoint>/sink/events}.
     */
    public static Future<LocalLambdaServer> start(Vertx vertx, LocalLambdaOptions options) {
        LocalLambdaServer server = new LocalLambdaServer(vertx, Objects.requireNonNull(options, "options"));
        LocalLambdaVerticle verticle = new LocalLambdaVerticle(
                options.host(), options.port(), server.registry, server.sink, server.sinkFaults);
        return vertx.deployVerticle(verticle)
                .compose(id -> {
                    server.deploymentId = id;
                    server.port = verticle.actualPort();
                    if (options.dispatcherFunctionName() == null) {
                        return Future.succeededFuture(server);
                    }
                    URI sinkUrl = URI.create(server.endpoint() + "/sink/events");
                    if (!options.dedupe().isDynamoDb()) {
                        int capacity = options.dedupe().mode().equals("off") ? 0 : options.dedupeCapacity();
                        server.registerDispatcher(
                                DispatcherFunction.toSink(sinkUrl, options.sinkTimeout(), capacity), capacity > 0);
                        return Future.succeededFuture(server);
                    }
                    // starting dynalite and creating the table block: on a worker
                    return vertx.executeBlocking(() -> {
                                server.dedupeStore = server.dynamoDbStore(options.dedupe());
                                server.registerDispatcher(
                                        DispatcherFunction.toSink(
                                                sinkUrl,
                                                options.sinkTimeout(),
                                                server.dedupeStore,
                                                options.dedupe().onlySuspects()),
                                        true);
                                return server;
                            })
                            .recover(t -> server.close().transform(ar -> Future.<LocalLambdaServer>failedFuture(t)));
                })
                .onSuccess(s -> LOG.info(
                        "local lambda endpoint {} functions={} dedupe={}",
                        s.endpoint(),
                        s.functionNames(),
                        options.dedupe()));
    }

    /** With the function's dedupe on, what the caller delivered twice is counted at the function too. */
    private void registerDispatcher(DispatcherFunction fn, boolean countDuplicates) {
        LambdaFunction hosted = fn;
        if (countDuplicates) {
            functionDuplicates = new FunctionDuplicates(fn);
            hosted = functionDuplicates;
        }
        register(options.dispatcherFunctionName(), hosted, options.concurrency(), options.timeout());
    }

    /**
     * With the dispatcher's dedupe on: event ids the caller delivered to the function again after the function had
     * acknowledged them (the sink's {@link SinkStore#duplicates()} then counts what passed the dedupe twice); null
     * when the dedupe is off (the sink's count is then the same thing).
     */
    public Long functionDuplicates() {
        FunctionDuplicates d = functionDuplicates;
        return d == null ? null : d.duplicates();
    }

    /** Blocking: the given endpoint, or a dynalite started now; the table created when missing. */
    private DedupeStore dynamoDbStore(LocalDedupe d) throws Exception {
        URI endpoint = d.endpoint();
        if (endpoint == null) {
            StringBuilder why = new StringBuilder();
            java.nio.file.Path cli = Dynalite.locate(why)
                    .orElseThrow(() -> new IllegalStateException(
                            "dedupeMode dynamodb without dedupeEndpoint needs dynalite: " + why));
            dynalite = Dynalite.start(cli, Duration.ofSeconds(60));
            endpoint = dynalite.endpoint();
        }
        Duration timeout = Duration.ofSeconds(20); // generous: a local server on a busy machine is slow, never down
        DynamoDbClient client = DynamoDbDedupeStore.client(
                endpoint,
                "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
                timeout);
        DynamoDbDedupeStore.createTableIfMissing(client, d.table(), Duration.ofSeconds(30));
        return new DynamoDbDedupeStore(client, d.table(), 86_400, 32, timeout);
    }

    /**
     * The dispatcher's DynamoDB dedupe store ({@link DedupeStore#requests()} counts its calls), or null when the
     * dedupe mode is not dynamodb.
     */
    public DedupeStore dedupeStore() {
        return dedupeStore;
    }

    /** The dynalite this server started, if any. */
    public java.util.Optional<Dynalite> dynalite() {
        return java.util.Optional.ofNullable(dynalite);
    }

    public int port() {
        return port;
    }

    /** {@code http://<host>:<port>} — the SDK's {@code endpointOverride}. */
    public String endpoint() {
        return "http://" + options.host() + ":" + port;
    }

    public LocalLambdaOptions options() {
        return options;
    }

    public SinkStore sink() {
        return sink;
    }

    public SinkFaults sinkFaults() {
        return sinkFaults;
    }

    /** The fault switchboard of a function (created on first use, kept across re-registration). */
    public FaultInjection faults(String functionName) {
        return registry.faults(functionName);
    }

    /** Hosts {@code fn} under {@code name}, replacing a function of the same name. */
    public LocalLambdaServer register(String name, LambdaFunction fn, int concurrency, Duration timeout) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fn, "fn");
        registry.put(new FunctionHost(name, fn, concurrency, timeout, registry.faults(name)));
        return this;
    }

    public boolean unregister(String name) {
        return registry.remove(name);
    }

    public Set<String> functionNames() {
        return registry.names();
    }

    /** Invocations of {@code name} running now (0 when it is not registered). */
    public int inFlight(String name) {
        FunctionHost fn = registry.get(name);
        return fn == null ? 0 : fn.inFlight();
    }

    /**
     * Invocations of {@code name} that ran (accepted past throttling and the concurrency limit, as Lambda
     * bills them), since the server started.
     */
    public long invocations(String name) {
        return registry.invocations(name).get();
    }

    public Future<Void> close() {
        String id = deploymentId;
        Future<Void> undeploy = id == null ? Future.succeededFuture() : vertx.undeploy(id);
        return undeploy.andThen(ar -> registry.closeAll())
                .eventually(() -> dedupeStore == null && dynalite == null
                        ? Future.succeededFuture()
                        : vertx.executeBlocking(() -> {
                            closeDedupe(); // the DynamoDB client and the dynalite child process: blocking, on a worker
                            return null;
                        }));
    }

    private void closeDedupe() {
        DedupeStore store = dedupeStore;
        if (store instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing the dedupe store: {}", e.toString());
            }
        }
        Dynalite d = dynalite;
        if (d != null) {
            d.close();
        }
    }
}
