package io.sluice.locallambda;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the local endpoint by hand: {@code --port N} (default 9001), {@code --host H} (default 127.0.0.1),
 * {@code --function NAME} (default dispatcher), {@code --concurrency N} (default 100), {@code --timeout-ms N}
 * (default 30000), {@code --dedupe off|memory|dynamodb} (default memory), {@code --dedupe-endpoint URL} (dynamodb;
 * default: start dynalite), {@code --only-suspects true|false} (default false). Prints the endpoint and runs until
 * interrupted.
 */
public final class LocalLambdaMain {

    private static final Logger LOG = LoggerFactory.getLogger(LocalLambdaMain.class);

    private LocalLambdaMain() {}

    public static void main(String[] args) throws InterruptedException {
        LocalLambdaOptions options = parse(args);
        Vertx vertx = Vertx.vertx();
        CountDownLatch stopped = new CountDownLatch(1);
        LocalLambdaServer.start(vertx, options)
                .onSuccess(server -> {
                    System.out.println(server.endpoint());
                    Runtime.getRuntime()
                            .addShutdownHook(new Thread(
                                    () -> {
                                        server.close()
                                                .eventually(vertx::close)
                                                .toCompletionStage()
                                                .toCompletableFuture()
                                                .join();
                                        stopped.countDown();
                                    },
                                    "local-lambda-shutdown"));
                })
                .onFailure(t -> {
                    LOG.error("local lambda endpoint failed to start: {}", t.toString());
                    vertx.close();
                    stopped.countDown();
                });
        stopped.await();
    }

    static LocalLambdaOptions parse(String[] args) {
        LocalLambdaOptions o = LocalLambdaOptions.defaults().withPort(9001);
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = args[++i];
            o = switch (flag) {
                case "--port" -> o.withPort(Integer.parseInt(v));
                case "--host" -> o.withHost(v);
                case "--function" -> o.withDispatcherFunctionName(v);
                case "--concurrency" -> o.withConcurrency(Integer.parseInt(v));
                case "--timeout-ms" -> o.withTimeout(Duration.ofMillis(Long.parseLong(v)));
                case "--dedupe" ->
                    o.withDedupe(new LocalDedupe(
                            v,
                            o.dedupe().endpoint(),
                            o.dedupe().table(),
                            o.dedupe().onlySuspects()));
                case "--dedupe-endpoint" ->
                    o.withDedupe(new LocalDedupe(
                            o.dedupe().mode(),
                            java.net.URI.create(v),
                            o.dedupe().table(),
                            o.dedupe().onlySuspects()));
                case "--only-suspects" ->
                    o.withDedupe(new LocalDedupe(
                            o.dedupe().mode(), o.dedupe().endpoint(), o.dedupe().table(), Boolean.parseBoolean(v)));
                default ->
                    throw new IllegalArgumentException(
                            "unknown option " + flag
                                    + "; allowed: --port, --host, --function, --concurrency, --timeout-ms, --dedupe, --dedupe-endpoint, --only-suspects");
            };
        }
        return o;
    }
}
