package io.sluice.producer;

import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * A two-dimensional token bucket (messages/s and bytes/s) that answers how long a send must wait,
 * and refuses rather than queueing without bound.
 *
 * <pre>{@code
 * "rate": {
 *   "messagesPerSecond": 13000,   // >= 0, 0 = unlimited (default 0)
 *   "bytesPerSecond": 4000000,    // >= 0, 0 = unlimited (default 0)
 *   "burst": 1000,                // messages, >= 1 (default: one second of messagesPerSecond)
 *   "burstBytes": 300000,         // bytes, >= 1 (default: see below)
 *   "maxWaitMs": 1000             // 0-3600000, longest wait reserve(m, b) accepts (default 1000)
 * }
 * }</pre>
 *
 * <p><b>Byte burst.</b> {@code burstBytes} may be set on its own; when it is not, the byte bucket gets
 * the same burst <i>duration</i> as the message bucket: {@code bytesPerSecond × burst / messagesPerSecond}
 * (one second of bytes when messages are unlimited or both bursts are defaults). A burst that was not
 * configured is re-derived from the new rates by {@link #setRate}; a configured one is kept.
 *
 * <p><b>Reservations.</b> {@link #reserve(int, int, long)} refills the buckets for the time elapsed on
 * the injected clock, computes the wait until both hold enough tokens, and, when that wait is within
 * the limit, takes the tokens at once (a bucket may go into debt, which later callers wait off in
 * turn). So a single request larger than the burst is still served, after a proportional wait, and the
 * total debt never exceeds {@code rate × maxWait}: the caller's queue of waiting sends is bounded.
 * When the wait is over the limit nothing is taken and the answer is {@code -1}: the caller answers
 * its own caller (HTTP 429 / event-bus failure) instead of queueing.
 *
 * <p><b>Threading.</b> Not thread-safe: confine an instance to one event loop (the ProducerVerticle's
 * context), which is also where the clock is read.
 */
public final class TokenBucket {

    /** Default {@code maxWaitMs}. */
    public static final long DEFAULT_MAX_WAIT_MS = 1000;
    /** Largest accepted {@code maxWaitMs} (one hour). */
    public static final long MAX_MAX_WAIT_MS = 3_600_000;
    /** Largest accepted rate, in messages or bytes per second. */
    public static final double MAX_RATE = 1e12;

    private static final double NANOS_PER_SECOND = 1_000_000_000d;
    private static final Set<String> KNOWN_KEYS =
            Set.of("messagesPerSecond", "bytesPerSecond", "burst", "burstBytes", "maxWaitMs");

    private final LongSupplier nanoClock;
    private final Double configuredBurstMessages; // null = derived from the rate
    private final Double configuredBurstBytes; // null = derived from the rates
    private final long maxWaitNanos;

    private double messagesPerSecond;
    private double bytesPerSecond;
    private double burstMessages;
    private double burstBytes;
    private double messageTokens;
    private double byteTokens;
    private long lastRefillNanos;

    /**
     * Creates a bucket that starts full.
     *
     * @param messagesPerSecond message rate, 0 = unlimited
     * @param bytesPerSecond    byte rate, 0 = unlimited
     * @param burstMessages     message burst (≥ 1), or {@code null} for one second of the message rate
     * @param burstBytes        byte burst (≥ 1), or {@code null} to derive it (see the class comment)
     * @param maxWaitNanos      longest wait {@link #reserve(int, int)} accepts, ≥ 0
     * @param nanoClock         monotonic clock in nanoseconds, e.g. {@code System::nanoTime}
     * @throws IllegalArgumentException when a value is out of range
     */
    public TokenBucket(
            double messagesPerSecond,
            double bytesPerSecond,
            Double burstMessages,
            Double burstBytes,
            long maxWaitNanos,
            LongSupplier nanoClock) {
        checkRate(messagesPerSecond, "messagesPerSecond");
        checkRate(bytesPerSecond, "bytesPerSecond");
        if (burstMessages != null && !(burstMessages >= 1 && burstMessages <= MAX_RATE)) {
            throw new IllegalArgumentException("burst must be 1-" + (long) MAX_RATE + ", got " + burstMessages);
        }
        if (burstBytes != null && !(burstBytes >= 1 && burstBytes <= MAX_RATE)) {
            throw new IllegalArgumentException("burstBytes must be 1-" + (long) MAX_RATE + ", got " + burstBytes);
        }
        if (maxWaitNanos < 0) {
            throw new IllegalArgumentException("maxWaitNanos must be >= 0, got " + maxWaitNanos);
        }
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.configuredBurstMessages = burstMessages;
        this.configuredBurstBytes = burstBytes;
        this.maxWaitNanos = maxWaitNanos;
        this.messagesPerSecond = messagesPerSecond;
        this.bytesPerSecond = bytesPerSecond;
        deriveBursts();
        this.messageTokens = this.burstMessages;
        this.byteTokens = this.burstBytes;
        this.lastRefillNanos = nanoClock.getAsLong();
    }

    /** A bucket that never waits. */
    public static TokenBucket unlimited(LongSupplier nanoClock) {
        return new TokenBucket(0, 0, null, null, 0, nanoClock);
    }

    /**
     * Builds a bucket from its JSON configuration (see the class comment); unknown keys are rejected.
     *
     * @param rate  the rate object; {@code null} means unlimited
     * @param path  dotted path of {@code rate} in the configuration, used in error messages
     * @param clock monotonic clock in nanoseconds
     * @throws ConfigException naming the offending key and the allowed range
     */
    public static TokenBucket fromJson(JsonObject rate, String path, LongSupplier clock) {
        if (rate == null) {
            return new TokenBucket(0, 0, null, null, DEFAULT_MAX_WAIT_MS * 1_000_000L, clock);
        }
        for (String key : rate.fieldNames()) {
            if (!KNOWN_KEYS.contains(key)) {
                throw new ConfigException(
                        path + "." + key, "unknown key; allowed keys are " + new TreeSet<>(KNOWN_KEYS));
            }
        }
        double messages = number(rate, "messagesPerSecond", path, 0, MAX_RATE, false, 0d);
        double bytes = number(rate, "bytesPerSecond", path, 0, MAX_RATE, false, 0d);
        Double burst = rate.getValue("burst") == null ? null : number(rate, "burst", path, 1, MAX_RATE, true, null);
        Double burstBytes =
                rate.getValue("burstBytes") == null ? null : number(rate, "burstBytes", path, 1, MAX_RATE, true, null);
        long maxWaitMs = (long) number(rate, "maxWaitMs", path, 0, MAX_MAX_WAIT_MS, true, (double) DEFAULT_MAX_WAIT_MS);
        return new TokenBucket(messages, bytes, burst, burstBytes, maxWaitMs * 1_000_000L, clock);
    }

    /**
     * Reserves capacity for a send, waiting at most the configured {@code maxWaitMs}.
     *
     * @see #reserve(int, int, long)
     */
    public long reserve(int messages, int bytes) {
        return reserve(messages, bytes, maxWaitNanos);
    }

    /**
     * Reserves capacity for {@code messages} records totalling {@code bytes} bytes.
     *
     * @param messages     number of records, ≥ 0
     * @param bytes        their size in bytes, ≥ 0
     * @param maxWaitNanos the longest wait the caller accepts, ≥ 0
     * @return the nanoseconds the caller must wait before sending (0 = send now), the tokens being
     *         taken; or {@code -1} when the wait would exceed {@code maxWaitNanos}, nothing being taken
     */
    public long reserve(int messages, int bytes, long maxWaitNanos) {
        if (messages < 0 || bytes < 0 || maxWaitNanos < 0) {
            throw new IllegalArgumentException("messages, bytes and maxWaitNanos must be >= 0, got " + messages + ", "
                    + bytes + ", " + maxWaitNanos);
        }
        refill();
        long wait = Math.max(
                waitNanos(messageTokens, messages, messagesPerSecond), waitNanos(byteTokens, bytes, bytesPerSecond));
        if (wait > maxWaitNanos) {
            return -1;
        }
        if (messagesPerSecond > 0) {
            messageTokens -= messages;
        }
        if (bytesPerSecond > 0) {
            byteTokens -= bytes;
        }
        return wait;
    }

    /**
     * Changes the rates at runtime (admin tuning). Tokens earned so far are credited at the old rates,
     * bursts that were not configured are re-derived, and the tokens are capped at the new bursts
     * (a debt is kept). A dimension that becomes limited after being unlimited starts full.
     *
     * @param messagesPerSecond new message rate, 0 = unlimited
     * @param bytesPerSecond    new byte rate, 0 = unlimited
     * @throws IllegalArgumentException when a rate is negative, not finite or above {@link #MAX_RATE}
     */
    public void setRate(double messagesPerSecond, double bytesPerSecond) {
        checkRate(messagesPerSecond, "messagesPerSecond");
        checkRate(bytesPerSecond, "bytesPerSecond");
        refill();
        boolean messagesWereUnlimited = this.messagesPerSecond == 0;
        boolean bytesWereUnlimited = this.bytesPerSecond == 0;
        if (messagesWereUnlimited && bytesWereUnlimited) {
            lastRefillNanos = nanoClock.getAsLong(); // refill skipped the clock while unlimited: earn from now on
        }
        this.messagesPerSecond = messagesPerSecond;
        this.bytesPerSecond = bytesPerSecond;
        deriveBursts();
        messageTokens = messagesWereUnlimited ? burstMessages : Math.min(messageTokens, burstMessages);
        byteTokens = bytesWereUnlimited ? burstBytes : Math.min(byteTokens, burstBytes);
    }

    /** The current message rate per second; 0 = unlimited. */
    public double messagesPerSecond() {
        return messagesPerSecond;
    }

    /** The current byte rate per second; 0 = unlimited. */
    public double bytesPerSecond() {
        return bytesPerSecond;
    }

    /** The current message burst (bucket capacity). */
    public double burstMessages() {
        return burstMessages;
    }

    /** The current byte burst (bucket capacity). */
    public double burstBytes() {
        return burstBytes;
    }

    /** The wait limit {@link #reserve(int, int)} uses. */
    public long maxWaitNanos() {
        return maxWaitNanos;
    }

    /** Whether neither rate is limited. */
    public boolean isUnlimited() {
        return messagesPerSecond == 0 && bytesPerSecond == 0;
    }

    /** Message tokens available now (negative = debt); {@code +∞} when unlimited. For metrics. */
    public double availableMessages() {
        refill();
        return messagesPerSecond == 0 ? Double.POSITIVE_INFINITY : messageTokens;
    }

    /** Byte tokens available now (negative = debt); {@code +∞} when unlimited. For metrics. */
    public double availableBytes() {
        refill();
        return bytesPerSecond == 0 ? Double.POSITIVE_INFINITY : byteTokens;
    }

    @Override
    public String toString() {
        return "TokenBucket{messagesPerSecond=" + messagesPerSecond + ", bytesPerSecond=" + bytesPerSecond
                + ", burstMessages=" + burstMessages + ", burstBytes=" + burstBytes + ", maxWaitNanos=" + maxWaitNanos
                + "}";
    }

    private void deriveBursts() {
        burstMessages = configuredBurstMessages != null ? configuredBurstMessages : Math.max(1, messagesPerSecond);
        if (configuredBurstBytes != null) {
            burstBytes = configuredBurstBytes;
        } else if (messagesPerSecond > 0) {
            burstBytes = Math.max(1, bytesPerSecond * burstMessages / messagesPerSecond);
        } else {
            burstBytes = Math.max(1, bytesPerSecond);
        }
    }

    private void refill() {
        if (isUnlimited()) {
            return; // nothing to earn: no clock read (the producer reserves once per event)
        }
        long now = nanoClock.getAsLong();
        long elapsed = now - lastRefillNanos;
        if (elapsed <= 0) {
            return; // same instant, or a clock that is not monotonic: earn nothing
        }
        lastRefillNanos = now;
        if (messagesPerSecond > 0) {
            messageTokens = Math.min(burstMessages, messageTokens + elapsed * messagesPerSecond / NANOS_PER_SECOND);
        }
        if (bytesPerSecond > 0) {
            byteTokens = Math.min(burstBytes, byteTokens + elapsed * bytesPerSecond / NANOS_PER_SECOND);
        }
    }

    private static long waitNanos(double tokens, int wanted, double perSecond) {
        if (perSecond == 0 || wanted <= tokens) {
            return 0;
        }
        double nanos = Math.ceil((wanted - tokens) * NANOS_PER_SECOND / perSecond);
        return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) nanos;
    }

    private static void checkRate(double rate, String name) {
        if (!(rate >= 0 && rate <= MAX_RATE)) {
            throw new IllegalArgumentException(name + " must be 0 (unlimited) to " + (long) MAX_RATE + ", got " + rate);
        }
    }

    private static double number(
            JsonObject json, String key, String path, double min, double max, boolean integral, Double defaultValue) {
        Object value = json.getValue(key);
        if (value == null && defaultValue != null) {
            return defaultValue;
        }
        String allowed = "must be " + (integral ? "an integer" : "a number") + " from " + plain(min) + " to "
                + plain(max) + (key.endsWith("PerSecond") ? " (0 = unlimited)" : "");
        if (!(value instanceof Number number)) {
            throw new ConfigException(
                    path + "." + key, allowed + ", got " + (value == null ? "nothing" : "'" + value + "'"));
        }
        double d = number.doubleValue();
        if (!(d >= min && d <= max) || (integral && d != Math.rint(d))) {
            throw new ConfigException(path + "." + key, allowed + ", got " + value);
        }
        return d;
    }

    private static String plain(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
