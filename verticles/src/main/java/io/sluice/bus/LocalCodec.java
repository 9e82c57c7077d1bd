package io.sluice.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes in-process objects over the event bus without copying. Stateless and thread-safe; the
 * objects it carries are immutable (or handed over, never touched again by the sender).
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {
    private final String name;

    private LocalCodec(Class<T> type) {
        this.name = "sluice-local-" + type.getName();
    }

    /** Registers a default local codec for each type; idempotent per Vert.x instance. */
    public static synchronized void registerAll(Vertx vertx, Class<?>... types) {
        for (Class<?> t : types) {
            register(vertx, t);
        }
    }

    private static <T> void register(Vertx vertx, Class<T> type) {
        try {
            vertx.eventBus().registerDefaultCodec(type, new LocalCodec<>(type));
        } catch (IllegalStateException alreadyRegistered) {
            // another verticle of this Vert.x instance registered it first
        }
    }

    @Override
    public void encodeToWire(Buffer buffer, T t) {
        throw new UnsupportedOperationException(name + " is local only");
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        throw new UnsupportedOperationException(name + " is local only");
    }

    @Override
    public T transform(T t) {
        return t;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
