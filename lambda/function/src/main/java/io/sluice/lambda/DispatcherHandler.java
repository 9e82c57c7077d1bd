package io.sluice.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.function.Predicate;

/**
 * AWS Lambda entry point: {@code io.sluice.lambda.DispatcherHandler::handleRequest} (Java 17 runtime).
 *
 * <p>Thin: reads the raw event (a stream handler, so offsets given as strings or numbers both parse), delegates
 * to a {@link Dispatcher} and writes its {@link DispatchResponse}. Per-record problems become response entries
 * ({@code invalidRecords} / {@code batchItemFailures}); a payload that is not a Kafka event throws
 * {@link io.sluice.lambda.event.InvalidEventException}, which the runtime reports as a function error.
 * The no-arg constructor (used by the runtime) builds the dispatcher and its HTTP client once per container
 * from the environment ({@link DispatcherConfig}); a configuration error fails the container's init.
 */
public final class DispatcherHandler implements RequestStreamHandler {

    private final Dispatcher dispatcher;
    private final long deadlineMarginMs;

    /** For the Lambda runtime: configuration from the environment, created once per container. */
    public DispatcherHandler() {
        this(FromEnvironment.DISPATCHER, FromEnvironment.CONFIG.deadlineMargin().toMillis());
    }

    public DispatcherHandler(Dispatcher dispatcher) {
        this(dispatcher, 500L);
    }

    public DispatcherHandler(Dispatcher dispatcher, long deadlineMarginMs) {
        this.dispatcher = dispatcher;
        this.deadlineMarginMs = deadlineMarginMs;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] payload = input.readAllBytes();
        long deadline = context == null ? 0L : System.currentTimeMillis() + context.getRemainingTimeInMillis();
        output.write(handle(payload, Set.of(), deadline));
    }

    /**
     * Handles one invocation outside the Lambda runtime (the local endpoint uses this).
     *
     * @param forcedFailures records reported as failed without calling their targets
     * @param deadlineEpochMs when the invocation times out (0 = unknown)
     * @return the response JSON
     */
    public byte[] handle(byte[] payload, Set<RecordId> forcedFailures, long deadlineEpochMs) {
        return handle(payload, forcedFailures::contains, deadlineEpochMs);
    }

    /**
     * Same as {@link #handle(byte[], Set, long)} with the forced failures given as a test (asked at most once per
     * record, see {@link Dispatcher#dispatch(byte[], Predicate, long)}).
     */
    public byte[] handle(byte[] payload, Predicate<RecordId> forcedFailure, long deadlineEpochMs) {
        long stopAt = deadlineEpochMs > 0 ? deadlineEpochMs - deadlineMarginMs : 0L;
        return dispatcher.dispatch(payload, forcedFailure, stopAt).toJson();
    }

    /** Lazily built once per container (class init = Lambda init phase). */
    private static final class FromEnvironment {
        static final DispatcherConfig CONFIG =
                DispatcherConfig.fromEnvironment(System.getenv(), System.getProperties(), Dispatcher.MAPPER);
        static final Dispatcher DISPATCHER = Dispatcher.create(CONFIG);
    }
}
