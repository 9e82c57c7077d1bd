package io.sluice.locallambda;

import io.sluice.lambda.DispatchResponse;
import io.sluice.lambda.Dispatcher;
import io.sluice.lambda.DispatcherConfig;
import io.sluice.lambda.DispatcherHandler;
import io.sluice.lambda.RecordId;
import io.sluice.lambda.route.RouteTable;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The dispatcher handler from {@code lambda/function} adapted to {@link LambdaFunction}: it reads the deadline
 * and the {@code failOffsets} fault from the invocation headers.
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
    return new DispatcherFunction(new DispatcherHandler(Dispatcher.create(config), config.deadlineMargin().toMillis()));
  }

  @Override
  public byte[] invoke(byte[] payload, Map<String, String> headers) throws Exception {
    String deadline = headers.get(DEADLINE_MS);
    return handler.handle(payload, failOffsets(headers.get(FAIL_OFFSETS)),
        deadline == null ? 0L : Long.parseLong(deadline));
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
