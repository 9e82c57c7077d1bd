package io.sluice.locallambda;

import io.sluice.lambda.DispatchResponse;
import io.sluice.lambda.Dispatcher;
import io.sluice.lambda.DispatcherConfig;
import io.sluice.lambda.DispatcherHandler;
import io.sluice.lambda.RecordId;
import io.sluice.lambda.dedupe.DedupeStore;
import io.sluice.lambda.route.RouteTable;
import io.sluice.lambda.target.HttpTarget;
import io.sluice.lambda.target.Target;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The dispatcher handler from {@code lambda/function} adapted to {@link LambdaFunction}: it reads the deadline
 * and the {@code failOffsets} and {@code partialFailureRate} faults from the invocation headers. A record is
 * forced to fail when it is in {@code failOffsets} or when its own draw ({@link ThreadLocalRandom}, one per
 * record, independent) is under {@code partialFailureRate}; the dispatcher's order fence then holds back the
 * later records of its key. The invocation may carry records of several partitions.
 */
public final class DispatcherFunction implements LambdaFunction {

    private final DispatcherHandler handler;

    public DispatcherFunction(DispatcherHandler handler) {
        this.handler = handler;
    }

    /** A dispatcher whose one default route sends every code to the HTTP target {@code sinkUrl}. */
    public static DispatcherFunction toSink(URI sinkUrl, Duration sinkTimeout, int dedupeCapacity) {
        RouteTable routes = RouteTable.singleHttpTarget("sink", sinkUrl, sinkTimeout);
        DispatcherConfig config = DispatcherConfig.of(routes).withDedupeCapacity(dedupeCapacity);
        return new DispatcherFunction(new DispatcherHandler(
                Dispatcher.create(config), config.deadlineMargin().toMillis()));
    }

    /**
     * The same dispatcher with its dedupe in {@code store} (e.g. a {@link io.sluice.lambda.dedupe.DynamoDbDedupeStore})
     * and {@code dedupe.onlySuspects} as given.
     */
    public static DispatcherFunction toSink(
            URI sinkUrl, Duration sinkTimeout, DedupeStore store, boolean onlySuspects) {
        RouteTable routes = RouteTable.singleHttpTarget("sink", sinkUrl, sinkTimeout);
        DispatcherConfig config = DispatcherConfig.of(routes);
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .build();
        Dispatcher dispatcher = new Dispatcher(
                routes,
                Map.<String, Target>of("sink", new HttpTarget(routes.targets().get("sink"), http)),
                store,
                onlySuspects,
                60_000L);
        return new DispatcherFunction(
                new DispatcherHandler(dispatcher, config.deadlineMargin().toMillis()));
    }

    @Override
    public byte[] invoke(byte[] payload, Map<String, String> headers) throws Exception {
        String deadline = headers.get(DEADLINE_MS);
        return handler.handle(
                payload,
                forcedFailure(
                        failOffsets(headers.get(FAIL_OFFSETS)), partialFailureRate(headers.get(PARTIAL_FAILURE_RATE))),
                deadline == null ? 0L : Long.parseLong(deadline));
    }

    /** Listed records fail; every other record fails with probability {@code rate} (0 = never, 1 = always). */
    static Predicate<RecordId> forcedFailure(Set<RecordId> listed, double rate) {
        if (rate <= 0) {
            return listed::contains;
        }
        return id -> listed.contains(id) || ThreadLocalRandom.current().nextDouble() < rate;
    }

    private static double partialFailureRate(String header) {
        return header == null || header.isEmpty() ? 0 : Double.parseDouble(header);
    }

    private static Set<RecordId> failOffsets(String json) throws Exception {
        if (json == null || json.isEmpty()) {
            return Set.of();
        }
        Set<RecordId> ids = new HashSet<>();
        for (var node : Dispatcher.MAPPER.readTree(json)) {
            ids.add(DispatchResponse.parseId(node));
        }
        return ids;
    }
}
