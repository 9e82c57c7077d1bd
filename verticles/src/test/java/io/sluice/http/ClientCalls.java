package io.sluice.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs a test's Vert.x HTTP client calls on one event-loop context instead of the test thread.
 *
 * <p>Called from a thread that is not Vert.x's, {@code request(..).compose(req -> req.send(..)).compose(res ->
 * res.body())} asks for the body on another thread than the one reading the connection; when the whole answer has
 * arrived by then, Vert.x 5.0.7 drops the end of the response and the body future never completes
 * (eclipse-vertx/vert.x#6038, fixed in vertx-core 5.0.12, which no released 5.0 stack yet carries). Seen here as a
 * 401 whose head reached the client and whose body future then timed out, about once in 50 to 80 requests with the
 * two cores busy. On the context the callbacks run on the connection's own event loop, before the rest is read.
 */
public final class ClientCalls {
    private final Context context;

    public ClientCalls(Vertx vertx) {
        this.context = vertx.getOrCreateContext();
    }

    /** {@code call} run on the context; its outcome. */
    public <T> Future<T> on(Supplier<Future<T>> call) {
        Promise<T> done = Promise.promise();
        context.runOnContext(v -> call.get().onComplete(done));
        return done.future();
    }
}
