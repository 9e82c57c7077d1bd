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

    /**
     * Same as {@link #deliver(List)}, the call part of the trace {@code traceparent} (W3C; null = none): an HTTP target
     * sends it as the {@code traceparent} request header.
     */
    default CompletableFuture<Void> deliver(List<RoutedRecord> records, String traceparent) {
        return deliver(records);
    }
}
