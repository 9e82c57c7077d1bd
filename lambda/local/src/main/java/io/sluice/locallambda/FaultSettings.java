package io.sluice.locallambda;

import io.sluice.lambda.DispatchResponse;
import io.sluice.lambda.RecordId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Immutable fault settings of one function. JSON ({@code GET/PUT /local/functions/{name}/faults}):
 * <pre>{@code
 * {"latencyMs": 0,              // fixed added latency, 0..900000
 *  "latencyMedianMs": null,     // optional log-normal added latency: median and p99 (both or neither),
 *  "latencyP99Ms": null,        //   1..900000, p99 >= median
 *  "errorRate": 0.0,            // 0..1: handler error -> 200 + X-Amz-Function-Error: Unhandled
 *  "throttleRate": 0.0,         // 0..1: 429 TooManyRequestsException
 *  "partialFailureRate": 0.0,   // 0..1: on an invocation that runs without error, each record is reported
 *                               //   failed (batchItemFailures, target not called) with this probability
 *  "outage": false,             // true: every invoke fails (see outageMode)
 *  "outageMode": "serviceException", // serviceException (500 ServiceException) | closeConnection
 *  "failOffsets": [{"topic-partition": "t-0", "offset": 15}]}  // reported as failed, target not called
 * }</pre>
 * {@code partialFailureRate} and {@code failOffsets} add up: a record is forced to fail when it is listed or
 * when its independent draw ({@link ThreadLocalRandom}) is under the rate; either way the dispatcher's per-key
 * order fence then reports the later records of its key as failed too. Both reach only the dispatcher function
 * ({@link DispatcherFunction}, through invocation headers); other hosted functions ignore them.
 */
public record FaultSettings(
        long latencyMs,
        Long latencyMedianMs,
        Long latencyP99Ms,
        double errorRate,
        double throttleRate,
        double partialFailureRate,
        boolean outage,
        OutageMode outageMode,
        Set<RecordId> failOffsets) {

    /** How an outage shows to the caller. */
    public enum OutageMode {
        /** HTTP 500 {@code ServiceException} (what the SDK sees when Lambda has an internal error). */
        SERVICE_EXCEPTION,
        /** The connection is closed without a response (the SDK throws {@code SdkClientException}). */
        CLOSE_CONNECTION
    }

    public static final long MAX_LATENCY_MS = 900_000L;
    public static final FaultSettings NONE =
            new FaultSettings(0, null, null, 0, 0, 0, false, OutageMode.SERVICE_EXCEPTION, Set.of());

    private static final List<String> FIELDS = List.of(
            "latencyMs",
            "latencyMedianMs",
            "latencyP99Ms",
            "errorRate",
            "throttleRate",
            "partialFailureRate",
            "outage",
            "outageMode",
            "failOffsets");
    /** z-score of the 99th percentile of the standard normal distribution. */
    private static final double Z99 = 2.3263478740408408;

    public FaultSettings {
        range("latencyMs", latencyMs, 0, MAX_LATENCY_MS);
        if ((latencyMedianMs == null) != (latencyP99Ms == null)) {
            throw new IllegalArgumentException(
                    "latencyMedianMs and latencyP99Ms must be given together (or both null)");
        }
        if (latencyMedianMs != null) {
            range("latencyMedianMs", latencyMedianMs, 1, MAX_LATENCY_MS);
            range("latencyP99Ms", latencyP99Ms, latencyMedianMs, MAX_LATENCY_MS);
        }
        rate("errorRate", errorRate);
        rate("throttleRate", throttleRate);
        rate("partialFailureRate", partialFailureRate);
        if (outageMode == null) {
            throw new IllegalArgumentException("outageMode must be one of serviceException, closeConnection");
        }
        failOffsets = Set.copyOf(failOffsets);
    }

    public FaultSettings withLatencyMs(long ms) {
        return new FaultSettings(
                ms,
                latencyMedianMs,
                latencyP99Ms,
                errorRate,
                throttleRate,
                partialFailureRate,
                outage,
                outageMode,
                failOffsets);
    }

    /** Log-normal added latency with this median and 99th percentile; nulls remove it. */
    public FaultSettings withLatencyDistribution(Long medianMs, Long p99Ms) {
        return new FaultSettings(
                latencyMs,
                medianMs,
                p99Ms,
                errorRate,
                throttleRate,
                partialFailureRate,
                outage,
                outageMode,
                failOffsets);
    }

    public FaultSettings withErrorRate(double rate) {
        return new FaultSettings(
                latencyMs,
                latencyMedianMs,
                latencyP99Ms,
                rate,
                throttleRate,
                partialFailureRate,
                outage,
                outageMode,
                failOffsets);
    }

    public FaultSettings withThrottleRate(double rate) {
        return new FaultSettings(
                latencyMs,
                latencyMedianMs,
                latencyP99Ms,
                errorRate,
                rate,
                partialFailureRate,
                outage,
                outageMode,
                failOffsets);
    }

    /** Each record of an invocation that runs without error is forced to fail with this probability (0..1). */
    public FaultSettings withPartialFailureRate(double rate) {
        return new FaultSettings(
                latencyMs,
                latencyMedianMs,
                latencyP99Ms,
                errorRate,
                throttleRate,
                rate,
                outage,
                outageMode,
                failOffsets);
    }

    public FaultSettings withOutage(boolean on) {
        return new FaultSettings(
                latencyMs,
                latencyMedianMs,
                latencyP99Ms,
                errorRate,
                throttleRate,
                partialFailureRate,
                on,
                outageMode,
                failOffsets);
    }

    public FaultSettings withOutageMode(OutageMode mode) {
        return new FaultSettings(
                latencyMs,
                latencyMedianMs,
                latencyP99Ms,
                errorRate,
                throttleRate,
                partialFailureRate,
                outage,
                mode,
                failOffsets);
    }

    public FaultSettings withFailOffsets(Set<RecordId> ids) {
        return new FaultSettings(
                latencyMs,
                latencyMedianMs,
                latencyP99Ms,
                errorRate,
                throttleRate,
                partialFailureRate,
                outage,
                outageMode,
                ids);
    }

    /** Added latency for one invocation: the fixed part plus a log-normal sample when configured. */
    public long sampleLatencyMs() {
        long total = latencyMs;
        if (latencyMedianMs != null) {
            double mu = Math.log(latencyMedianMs);
            double sigma = (Math.log(latencyP99Ms) - mu) / Z99;
            double sample = Math.exp(mu + sigma * ThreadLocalRandom.current().nextGaussian());
            total += (long) Math.min(sample, MAX_LATENCY_MS);
        }
        return total;
    }

    public boolean active() {
        return !equals(NONE);
    }

    public JsonObject toJson() {
        JsonArray offsets = new JsonArray();
        failOffsets.stream()
                .sorted((a, b) -> a.topicPartition().equals(b.topicPartition())
                        ? Long.compare(a.offset(), b.offset())
                        : a.topicPartition().compareTo(b.topicPartition()))
                .forEach(id -> offsets.add(new JsonObject()
                        .put("topic-partition", id.topicPartition())
                        .put("offset", id.offset())));
        return new JsonObject()
                .put("latencyMs", latencyMs)
                .put("latencyMedianMs", latencyMedianMs)
                .put("latencyP99Ms", latencyP99Ms)
                .put("errorRate", errorRate)
                .put("throttleRate", throttleRate)
                .put("partialFailureRate", partialFailureRate)
                .put("outage", outage)
                .put("outageMode", outageMode == OutageMode.SERVICE_EXCEPTION ? "serviceException" : "closeConnection")
                .put("failOffsets", offsets);
    }

    /**
     * These settings with the fields present in {@code patch} replaced (absent fields keep their value; a JSON
     * null resets a field to its default).
     *
     * @throws IllegalArgumentException naming the bad field and its allowed range
     */
    public FaultSettings merge(JsonObject patch) {
        for (String f : patch.fieldNames()) {
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "'; allowed: " + FIELDS);
            }
        }
        FaultSettings s = this;
        if (patch.containsKey("latencyMs")) {
            s = s.withLatencyMs(
                    patch.getValue("latencyMs") == null ? 0 : integer(patch, "latencyMs", 0, MAX_LATENCY_MS));
        }
        if (patch.containsKey("latencyMedianMs") || patch.containsKey("latencyP99Ms")) {
            Long median = patch.containsKey("latencyMedianMs")
                    ? nullableInteger(patch, "latencyMedianMs")
                    : s.latencyMedianMs;
            Long p99 = patch.containsKey("latencyP99Ms") ? nullableInteger(patch, "latencyP99Ms") : s.latencyP99Ms;
            s = s.withLatencyDistribution(median, p99);
        }
        if (patch.containsKey("errorRate")) {
            s = s.withErrorRate(patch.getValue("errorRate") == null ? 0 : number(patch, "errorRate"));
        }
        if (patch.containsKey("throttleRate")) {
            s = s.withThrottleRate(patch.getValue("throttleRate") == null ? 0 : number(patch, "throttleRate"));
        }
        if (patch.containsKey("partialFailureRate")) {
            s = s.withPartialFailureRate(
                    patch.getValue("partialFailureRate") == null ? 0 : number(patch, "partialFailureRate"));
        }
        if (patch.containsKey("outage")) {
            Object v = patch.getValue("outage");
            if (v != null && !(v instanceof Boolean)) {
                throw new IllegalArgumentException("outage must be true or false but was " + v);
            }
            s = s.withOutage(Boolean.TRUE.equals(v));
        }
        if (patch.containsKey("outageMode")) {
            Object v = patch.getValue("outageMode");
            String m = v == null ? "serviceException" : v.toString();
            s = s.withOutageMode(
                    switch (m.toLowerCase(Locale.ROOT)) {
                        case "serviceexception" -> OutageMode.SERVICE_EXCEPTION;
                        case "closeconnection" -> OutageMode.CLOSE_CONNECTION;
                        default ->
                            throw new IllegalArgumentException(
                                    "outageMode must be one of serviceException, closeConnection but was " + v);
                    });
        }
        if (patch.containsKey("failOffsets")) {
            s = s.withFailOffsets(failOffsets(patch.getValue("failOffsets")));
        }
        return s;
    }

    private static Set<RecordId> failOffsets(Object v) {
        if (v == null) {
            return Set.of();
        }
        if (!(v instanceof JsonArray array)) {
            throw new IllegalArgumentException(
                    "failOffsets must be an array of {\"topic-partition\":\"t-0\",\"offset\":15} but was " + v);
        }
        Set<RecordId> ids = new LinkedHashSet<>();
        for (int i = 0; i < array.size(); i++) {
            Object e = array.getValue(i);
            if (!(e instanceof JsonObject o)) {
                throw new IllegalArgumentException(
                        "failOffsets[" + i + "] must be {\"topic-partition\":\"t-0\",\"offset\":15}");
            }
            try {
                ids.add(DispatchResponse.parseId(io.sluice.lambda.Dispatcher.MAPPER.readTree(o.encode())));
            } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException ex) {
                throw new IllegalArgumentException("failOffsets[" + i + "]: " + ex.getMessage(), ex);
            }
        }
        return ids;
    }

    private static long integer(JsonObject o, String f, long min, long max) {
        Object v = o.getValue(f);
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException(f + " must be an integer in " + min + ".." + max + " but was " + v);
        }
        range(f, n.longValue(), min, max);
        return n.longValue();
    }

    private static Long nullableInteger(JsonObject o, String f) {
        return o.getValue(f) == null ? null : integer(o, f, 1, MAX_LATENCY_MS);
    }

    private static double number(JsonObject o, String f) {
        Object v = o.getValue(f);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(f + " must be a number in 0..1 but was " + v);
        }
        return n.doubleValue();
    }

    private static void range(String f, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(f + " must be in " + min + ".." + max + " but was " + v);
        }
    }

    private static void rate(String f, double v) {
        if (!(v >= 0.0 && v <= 1.0)) {
            throw new IllegalArgumentException(f + " must be in 0..1 but was " + v);
        }
    }
}
