package io.sluice.producer;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Codecs of {@code sluice.produce.batch} that work across JVMs (clustered event bus) and stay zero-copy inside
 * one: {@code transform} hands the object over as {@link LocalCodec} does; only a message that leaves the JVM
 * is encoded. Register them in every JVM that sends or serves batches, before the first batch:
 * {@link #register(Vertx)} (Sluice's main verticle does it for its own Vert.x).
 *
 * <p>Wire forms (big-endian, strings UTF-8 with an int length):
 * <ul>
 *   <li>{@link ProduceBatch}: {@code int version=1, int n}, then per event {@code byte kind, int length, bytes}:
 *       kind 0 a JSON object (its encoded text), 1 a Buffer holding the event's JSON, 2 a String holding it.
 *       Other element types cannot be encoded (the send fails at the sender).</li>
 *   <li>{@link ProduceBatchReply}: {@code int version=1, int n}, then per result {@code string answer} (its label)
 *       and, for {@code accepted}, {@code string topic, int partition, long offset}, for {@code spooled} {@code string topic},
 *       else {@code string error}.</li>
 * </ul>
 */
public final class WireCodecs {
    private static final int VERSION = 1;
    private static final byte JSON_OBJECT = 0;
    private static final byte BUFFER = 1;
    private static final byte STRING = 2;

    private WireCodecs() {}

    /**
     * Registers both as the default codecs of their types; a no-op for a type that already has one (e.g. the
     * producer's local-only codec registered first: then batches of this Vert.x stay local-only).
     */
    public static synchronized void register(Vertx vertx) {
        register(
                vertx,
                ProduceBatch.class,
                new Codec<>("sluice-wire-produce-batch", WireCodecs::encodeBatch, WireCodecs::decodeBatch));
        register(
                vertx,
                ProduceBatchReply.class,
                new Codec<>("sluice-wire-produce-batch-reply", WireCodecs::encodeReply, WireCodecs::decodeReply));
    }

    private static <T> void register(Vertx vertx, Class<T> type, Codec<T> codec) {
        try {
            vertx.eventBus().registerDefaultCodec(type, codec);
        } catch (IllegalStateException alreadyRegistered) {
            // registered before, by this class or by the local codec
        }
    }

    static void encodeBatch(Buffer out, ProduceBatch batch) {
        List<?> events = batch.events();
        out.appendInt(VERSION).appendInt(events.size());
        for (int i = 0; i < events.size(); i++) {
            Object e = events.get(i);
            if (e instanceof JsonObject jo) {
                bytes(out.appendByte(JSON_OBJECT), jo.toBuffer().getBytes());
            } else if (e instanceof Buffer b) {
                out.appendByte(BUFFER).appendInt(b.length()).appendBuffer(b);
            } else if (e instanceof String s) {
                bytes(out.appendByte(STRING), s.getBytes(StandardCharsets.UTF_8));
            } else {
                throw new IllegalArgumentException("event " + i + " of a ProduceBatch sent to another JVM must be a "
                        + "JsonObject, Buffer or String, got "
                        + (e == null ? "null" : e.getClass().getName()));
            }
        }
    }

    static ProduceBatch decodeBatch(int pos, Buffer in) {
        Reader r = new Reader(in, pos);
        r.version();
        int n = r.nextInt();
        List<Object> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte kind = in.getByte(r.pos++);
            Buffer b = r.nextBuffer();
            events.add(
                    switch (kind) {
                        case JSON_OBJECT -> new JsonObject(b);
                        case BUFFER -> b;
                        case STRING -> b.toString(StandardCharsets.UTF_8);
                        default ->
                            throw new IllegalArgumentException("unknown event kind " + kind + " in a ProduceBatch");
                    });
        }
        return new ProduceBatch(events);
    }

    static void encodeReply(Buffer out, ProduceBatchReply reply) {
        out.appendInt(VERSION).appendInt(reply.size());
        for (ProduceResult r : reply.results()) {
            string(out, r.answer().label());
            if (r.isAccepted()) {
                string(out, r.topic());
                out.appendInt(r.partition()).appendLong(r.offset());
            } else if (r.answer() == ProduceAnswer.SPOOLED) {
                string(out, r.topic());
            } else {
                string(out, r.error());
            }
        }
    }

    static ProduceBatchReply decodeReply(int pos, Buffer in) {
        Reader r = new Reader(in, pos);
        r.version();
        int n = r.nextInt();
        ProduceBatchReply[] out = new ProduceBatchReply[1];
        ProduceBatchReply.Collector c = new ProduceBatchReply.Collector(n, reply -> out[0] = reply);
        for (int i = 0; i < n; i++) {
            ProduceAnswer answer = answer(r.nextString());
            if (answer == ProduceAnswer.ACCEPTED) {
                String topic = r.nextString();
                int partition = r.nextInt();
                long offset = in.getLong(r.pos);
                r.pos += 8;
                c.set(i, ProduceResult.accepted(topic, partition, offset));
            } else if (answer == ProduceAnswer.SPOOLED) {
                c.set(i, ProduceResult.spooled(r.nextString()));
            } else {
                c.set(i, new ProduceResult(answer, null, -1, -1, r.nextString()));
            }
        }
        return out[0];
    }

    private static ProduceAnswer answer(String label) {
        for (ProduceAnswer a : ProduceAnswer.values()) {
            if (a.label().equals(label)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown answer '" + label + "' in a ProduceBatchReply");
    }

    private static void bytes(Buffer out, byte[] b) {
        out.appendInt(b.length).appendBytes(b);
    }

    private static void string(Buffer out, String s) {
        bytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static final class Reader {
        final Buffer in;
        int pos;

        Reader(Buffer in, int pos) {
            this.in = in;
            this.pos = pos;
        }

        void version() {
            int v = nextInt();
            if (v != VERSION) {
                throw new IllegalArgumentException(
                        "wire version " + v + " is not " + VERSION + " (mixed Sluice versions?)");
            }
        }

        int nextInt() {
            int v = in.getInt(pos);
            pos += 4;
            return v;
        }

        Buffer nextBuffer() {
            int len = nextInt();
            Buffer b = in.getBuffer(pos, pos + len);
            pos += len;
            return b;
        }

        String nextString() {
            return nextBuffer().toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * A codec that is the identity inside the JVM and {@code encode}/{@code decode} on the wire. The wire body is
     * length-prefixed (the event bus's own framing carries no length for a custom body).
     */
    private static final class Codec<T> implements MessageCodec<T, T> {
        private final String name;
        private final java.util.function.BiConsumer<Buffer, T> encode;
        private final java.util.function.BiFunction<Integer, Buffer, T> decode;

        Codec(
                String name,
                java.util.function.BiConsumer<Buffer, T> encode,
                java.util.function.BiFunction<Integer, Buffer, T> decode) {
            this.name = name;
            this.encode = encode;
            this.decode = decode;
        }

        @Override
        public void encodeToWire(Buffer buffer, T t) {
            Buffer body = Buffer.buffer();
            encode.accept(body, t);
            buffer.appendInt(body.length()).appendBuffer(body);
        }

        @Override
        public T decodeFromWire(int pos, Buffer buffer) {
            int len = buffer.getInt(pos);
            return decode.apply(0, buffer.getBuffer(pos + 4, pos + 4 + len));
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
}
