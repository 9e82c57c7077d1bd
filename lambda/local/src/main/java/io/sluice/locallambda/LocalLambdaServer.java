package io.sluice.locallambda;

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
    LocalLambdaVerticle verticle = new LocalLambdaVerticle(options.host(), options.port(), server.registry,
        server.sink, server.sinkFaults);
    return vertx.deployVerticle(verticle)
        .map(id -> {
          server.deploymentId = id;
          server.port = verticle.actualPort();
          if (options.dispatcherFunctionName() != null) {
            server.register(options.dispatcherFunctionName(),
                DispatcherFunction.toSink(URI.create(server.endpoint() + "/sink/events"), options.sinkTimeout(),
                    options.dedupeCapacity()),
                options.concurrency(), options.timeout());
          }
          LOG.info("local lambda endpoint {} functions={}", server.endpoint(), server.functionNames());
          return server;
        });
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
    return undeploy.andThen(ar -> registry.closeAll());
  }
}
