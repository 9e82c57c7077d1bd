package io.sluice.generator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces synthetic telemetry events through {@code sluice.produce} at the configured rate (times the
 * ramp multiplier), on a 10 ms tick. Outstanding requests are bounded: when the producer answers slower
 * than the rate, ticks skip (counted), they never queue. The rate can be changed at run time through
 * {@code sluice.generator.rate}.
 */
public final class GeneratorVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(GeneratorVerticle.class);
    public static final String RATE_ADDRESS = "sluice.generator.rate";
    private static final long TICK_MS = 10;

    private final GeneratorSettings initial;
    private final Counter accepted;
    private final Counter failed;
    private final Counter skipped;
    private EventGenerator generator;
    private double rate;
    private double carry;
    private long startedAt;
    private long lastTick;
    private int outstanding;

    public GeneratorVerticle(GeneratorSettings settings, MeterRegistry registry) {
        this.initial = settings;
        this.rate = settings.rate();
        this.accepted = Counter.builder("sluice.generator.events")
                .tag("result", "accepted")
                .register(registry);
        this.failed = Counter.builder("sluice.generator.events")
                .tag("result", "failed")
                .register(registry);
        this.skipped = Counter.builder("sluice.generator.events")
                .tag("result", "skipped")
                .register(registry);
    }

    @Override
    public Future<?> start() {
        SplittableRandom rnd =
                initial.seed().isPresent() ? new SplittableRandom(initial.seed().getAsLong()) : new SplittableRandom();
        generator = new EventGenerator(initial, rnd);
        startedAt = System.currentTimeMillis();
        lastTick = startedAt;
        vertx.setPeriodic(TICK_MS, id -> tick());
        MessageConsumer<Object> c = vertx.eventBus().localConsumer(RATE_ADDRESS, this::onRate);
        return c.completion();
    }

    private void tick() {
        long now = System.currentTimeMillis();
        double effective = rate * initial.ramp().multiplierAt(now - startedAt);
        carry += effective * (now - lastTick) / 1000.0;
        lastTick = now;
        int n = (int) carry;
        carry -= n;
        int cap = (int) Math.max(1_000, effective * 2);
        DeliveryOptions opts = new DeliveryOptions().setSendTimeout(30_000);
        for (int i = 0; i < n; i++) {
            if (outstanding >= cap) {
                skipped.increment(n - i);
                return;
            }
            outstanding++;
            JsonObject event = generator.next(now);
            vertx.eventBus().request(Addresses.PRODUCE, event, opts).onComplete(ar -> {
                outstanding--;
                if (ar.succeeded()) {
                    accepted.increment();
                } else {
                    failed.increment();
                }
            });
        }
    }

    private void onRate(Message<Object> msg) {
        if (msg.body() instanceof JsonObject jo && jo.containsKey("rate")) {
            Object v = jo.getValue("rate");
            if (!(v instanceof Number num) || num.doubleValue() < 0 || num.doubleValue() > GeneratorSettings.MAX_RATE) {
                msg.fail(
                        400,
                        "rate: must be a number between 0 and " + (long) GeneratorSettings.MAX_RATE + ", got " + v);
                return;
            }
            rate = num.doubleValue();
            LOG.info("Generator rate set to {} events/s", rate);
        }
        msg.reply(new JsonObject().put("rate", rate).put("generated", generator.generated()));
    }

    public long generated() {
        return generator == null ? 0 : generator.generated();
    }
}
