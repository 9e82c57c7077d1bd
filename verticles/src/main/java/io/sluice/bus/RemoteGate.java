package io.sluice.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.impl.clustered.ClusteredMessage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link RemoteAccess} to every message delivered in this JVM: an event-bus inbound interceptor. A
 * refused request is failed at once (the caller gets the code and the reason, never silence) and does not reach
 * the handler. Whether a message came from another JVM is read from Vert.x's clustered message
 * ({@code ClusteredMessage.isFromWire()}, an implementation class: the public API has no such accessor).
 */
public final class RemoteGate {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteGate.class);

    private final Vertx vertx;
    private final RemoteAccess access;
    private final Handler<DeliveryContext<Object>> interceptor = this::intercept;
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean stopping;
    /** {@link System#nanoTime()} of the last request from another JVM this gate saw. */
    private volatile long lastRemoteNanos = System.nanoTime();

    public RemoteGate(Vertx vertx, RemoteAccess access) {
        this.vertx = vertx;
        this.access = access;
    }

    public RemoteGate install() {
        vertx.eventBus().addInboundInterceptor(interceptor);
        return this;
    }

    public void uninstall() {
        vertx.eventBus().removeInboundInterceptor(interceptor);
    }

    /** From now on remote requests are answered {@code stopping} (503). */
    public void stopping() {
        stopping = true;
    }

    /**
     * Completes once no request from another JVM has arrived for {@code quietMs} (they are answered {@code stopping}
     * meanwhile), or after {@code maxMs} whatever they do. Call after {@link #stopping()}, before the cluster is left:
     * a request a caller sent before it saw its first {@code stopping} answer then gets its own, instead of reaching
     * a node that is leaving the cluster and waiting out its send timeout in silence.
     */
    public Future<Void> quiet(long quietMs, long maxMs) {
        Promise<Void> done = Promise.promise();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs);
        checkQuiet(quietMs, until, done);
        return done.future();
    }

    private void checkQuiet(long quietMs, long until, Promise<Void> done) {
        long now = System.nanoTime();
        long quietFor = TimeUnit.NANOSECONDS.toMillis(now - lastRemoteNanos);
        if (quietFor >= quietMs || now >= until) {
            done.tryComplete();
            return;
        }
        long wait = Math.max(1, Math.min(quietMs - quietFor, TimeUnit.NANOSECONDS.toMillis(until - now) + 1));
        vertx.setTimer(wait, id -> checkQuiet(quietMs, until, done));
    }

    /** A request from another JVM arrived now. */
    void sawRemote() {
        lastRemoteNanos = System.nanoTime();
    }

    /** Remote requests refused so far. */
    public long refused() {
        return refused.get();
    }

    private void intercept(DeliveryContext<Object> ctx) {
        Message<Object> msg = ctx.message();
        boolean fromWire = msg instanceof ClusteredMessage<?, ?> cm && cm.isFromWire();
        if (fromWire) {
            sawRemote();
        }
        RemoteAccess.Decision d =
                access.decide(msg.address(), fromWire, msg.headers().get(Addresses.CALLER_HEADER), stopping);
        if (d instanceof RemoteAccess.Refuse r) {
            if (refused.getAndIncrement() % 1000 == 0) { // at most one line per thousand refusals
                LOG.warn("Refused a remote request to {} ({} so far): {}", msg.address(), refused.get(), r.message());
            }
            if (msg.replyAddress() != null) {
                msg.fail(r.code(), r.message());
            }
            return;
        }
        ctx.next();
    }
}
