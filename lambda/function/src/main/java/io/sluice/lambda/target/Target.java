package io.sluice.lambda.target;

import io.sluice.lambda.record.RoutedRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A downstream target. One call per target per invocation with all records routed to it; the future fails
 * when the call failed (every record of the call is then retryable). Must not block the calling thread.
 */
public interface Target {

  String name();

  CompletableFuture<Void> deliver(List<RoutedRecord> records);
}
