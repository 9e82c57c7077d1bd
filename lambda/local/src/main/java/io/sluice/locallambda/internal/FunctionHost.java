package io.sluice.locallambda.internal;

import io.sluice.locallambda.FaultInjection;
import io.sluice.locallambda.FaultSettings;
import io.sluice.locallambda.LambdaFunction;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One hosted function: its reserved concurrency (admission counter), a worker pool of that size (handlers and
 * injected latency never run on an event loop) and its timeout (the worker is interrupted, the caller gets
 * {@code Sandbox.Timedout}).
 */
public final class FunctionHost {

    private final String name;
    private final LambdaFunction function;
    private final int concurrency;
    private final Duration timeout;
    private final FaultInjection faults;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger inFlight = new AtomicInteger();

    public FunctionHost(
            String name, LambdaFunction function, int concurrency, Duration timeout, FaultInjection faults) {
        if (concurrency < 1 || concurrency > 10_000) {
            throw new IllegalArgumentException("concurrency must be in 1..10000 but was " + concurrency);
        }
        if (timeout.toMillis() < 1 || timeout.toMillis() > 900_000) {
            throw new IllegalArgumentException("timeout must be in 1 ms..15 min but was " + timeout);
        }
        this.name = name;
        this.function = function;
        this.concurrency = concurrency;
        this.timeout = timeout;
        this.faults = faults;
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(
                concurrency, concurrency, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "local-lambda-" + name + "-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.pool.allowCoreThreadTimeOut(true);
    }

    public String name() {
        return name;
    }

    public int concurrency() {
        return concurrency;
    }

    public Duration timeout() {
        return timeout;
    }

    public FaultInjection faults() {
        return faults;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Takes a concurrency slot; false when all are in use (the caller answers 429). */
    public boolean tryAcquire() {
        while (true) {
            int n = inFlight.get();
            if (n >= concurrency) {
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    public void release() {
        inFlight.decrementAndGet();
    }

    /**
     * Runs one invocation on the worker pool; the future completes on {@code context}. Added latency is slept
     * inside the worker (so it counts against concurrency and the timeout, as a slow real function does).
     */
    public Future<Outcome> run(
            Vertx vertx, Context context, byte[] payload, Map<String, String> headers, FaultSettings settings) {
        Promise<Outcome> promise = Promise.promise();
        java.util.concurrent.Future<?> task;
        try {
            task = pool.submit(() -> {
                Outcome outcome;
                try {
                    long latency = settings.sampleLatencyMs();
                    if (latency > 0) {
                        Thread.sleep(latency);
                    }
                    if (settings.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < settings.errorRate()) {
                        throw new InjectedFunctionError(
                                "injected handler error (errorRate=" + settings.errorRate() + ")");
                    }
                    byte[] out = function.invoke(payload, headers);
                    outcome = new Outcome.Success(out == null ? new byte[0] : out);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return; // timed out: the timer has answered already
                } catch (Throwable t) {
                    outcome = Outcome.Failure.of(t);
                }
                Outcome result = outcome;
                context.runOnContext(v -> promise.tryComplete(result));
            });
        } catch (RejectedExecutionException e) {
            return Future.failedFuture(new IllegalStateException("function " + name + " is closed", e));
        }
        long timeoutMs = timeout.toMillis();
        long timer = vertx.setTimer(timeoutMs, id -> {
            if (promise.tryComplete(new Outcome.TimedOut(timeoutMs))) {
                task.cancel(true);
            }
        });
        return promise.future().andThen(ar -> vertx.cancelTimer(timer));
    }

    public void close() {
        pool.shutdownNow();
    }
}
