package io.sluice.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * A scripted {@link LambdaAsyncClient}: each {@code invoke} asks the script for an {@link Answer} (by call number,
 * 1-based, and the offsets in the request), then completes the future from its own thread, as the SDK's I/O
 * threads do; or throws synchronously when the script says so. Records every call: the offsets, the Vert.x
 * context and thread it was made on, and which offsets the function accepted.
 */
final class FakeLambda implements LambdaAsyncClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one invocation answers. */
    sealed interface Answer {}

    /** HTTP 200 with {@code body}; {@code failed} are the offsets the body names in batchItemFailures. */
    record Ok(String body, Set<Long> failed) implements Answer {}

    /** HTTP 200 with {@code X-Amz-Function-Error: Unhandled}. */
    record FunctionError(String body) implements Answer {}

    /** The call's future fails with {@code error} (a service or client exception). */
    record Fails(Throwable error) implements Answer {}

    /** {@code invoke} itself throws {@code error}, synchronously. */
    record Throws(RuntimeException error) implements Answer {}

    /** One invocation as the fake saw it. */
    record Call(int number, List<Long> offsets, Context context, boolean onEventLoopThread, String thread) {}

    static Answer ok() {
        return new Ok("{}", Set.of());
    }

    /** A partial failure naming {@code offsets} of topic-partition {@code tp}. */
    static Answer partial(String tp, long... offsets) {
        StringBuilder b = new StringBuilder("{\"batchItemFailures\":[");
        Set<Long> failed = new HashSet<>();
        for (int i = 0; i < offsets.length; i++) {
            b.append(i == 0 ? "" : ",")
                    .append("{\"itemIdentifier\":{\"topic-partition\":\"")
                    .append(tp)
                    .append("\",\"offset\":")
                    .append(offsets[i])
                    .append("}}");
            failed.add(offsets[i]);
        }
        return new Ok(b.append("]}").toString(), failed);
    }

    static Answer functionError() {
        return new FunctionError("{\"errorType\":\"Boom\",\"errorMessage\":\"handler failed\"}");
    }

    private final BiFunction<Integer, List<Long>, Answer> script;
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-lambda-io");
        t.setDaemon(true);
        return t;
    });
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final List<Long> accepted = new CopyOnWriteArrayList<>();

    FakeLambda(BiFunction<Integer, List<Long>, Answer> script) {
        this.script = script;
    }

    @Override
    public CompletableFuture<InvokeResponse> invoke(InvokeRequest request) {
        List<Long> offsets = offsets(request.payload());
        int n;
        synchronized (calls) {
            n = calls.size() + 1;
            calls.add(new Call(
                    n,
                    offsets,
                    Vertx.currentContext(),
                    Context.isOnEventLoopThread(),
                    Thread.currentThread().getName()));
        }
        Answer a = script.apply(n, offsets);
        if (a instanceof Throws t) {
            throw t.error();
        }
        CompletableFuture<InvokeResponse> f = new CompletableFuture<>();
        io.execute(() -> {
            if (a instanceof Ok ok) {
                for (Long o : offsets) {
                    if (!ok.failed().contains(o)) {
                        accepted.add(o);
                    }
                }
                f.complete(InvokeResponse.builder()
                        .statusCode(200)
                        .payload(SdkBytes.fromUtf8String(ok.body()))
                        .build());
            } else if (a instanceof FunctionError fe) {
                f.complete(InvokeResponse.builder()
                        .statusCode(200)
                        .functionError("Unhandled")
                        .payload(SdkBytes.fromUtf8String(fe.body()))
                        .build());
            } else if (a instanceof Fails fl) {
                f.completeExceptionally(fl.error());
            }
        });
        return f;
    }

    /** Every offset the function was sent, over all calls, in call order. */
    List<Long> allSentOffsets() {
        List<Long> all = new ArrayList<>();
        for (Call c : calls) {
            all.addAll(c.offsets());
        }
        return all;
    }

    static List<Long> offsets(SdkBytes payload) {
        try {
            JsonNode root = JSON.readTree(payload.asByteArrayUnsafe());
            List<Long> out = new ArrayList<>();
            root.get("records").fields().forEachRemaining(e -> {
                for (JsonNode r : e.getValue()) {
                    out.add(r.get("offset").asLong());
                }
            });
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<Long> asSet(Collection<Long> c) {
        return new HashSet<>(c);
    }

    @Override
    public String serviceName() {
        return "lambda";
    }

    @Override
    public void close() {
        io.shutdownNow();
    }
}
