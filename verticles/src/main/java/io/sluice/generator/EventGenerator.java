package io.sluice.generator;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Produces synthetic truck telemetry events for load generation.
 *
 * <p>Each event:
 * <pre>{@code
 * {"eventId":"k3x9q2ab-17", "code":400, "truckId":"T-00042", "timestamp":1700000000000, "seq":5,
 *  "speedKmh":73.4, "heading":211, "lat":-23.55052, "lon":-46.63331, "fuelPct":61.2, ...,
 *  "pad":"..."}
 * }</pre>
 * <ul>
 *   <li>{@code eventId} = {@code <prefix>-<counter>}, the counter starting at 1: unique per generator
 *       instance, and across instances when prefixes differ (by default a random 8-character run id);</li>
 *   <li>{@code code} drawn by the configured weights, {@code truckId} by a {@link ParetoSampler} over
 *       {@code trucks} ids ({@code T-00001} is the hottest); ids are zero-padded to at least 5 digits;</li>
 *   <li>{@code seq}: per-key sequence, key = {@code code:truckId}, starting at 1 — lets a consumer check
 *       per-key order and count gaps and duplicates;</li>
 *   <li>telemetry fields are appended in a fixed order while they fit in {@code payloadBytes}, then a
 *       {@code pad} string fills the rest, so the serialized event is {@code payloadBytes} long (to within
 *       a few bytes), never less than its core fields.</li>
 * </ul>
 *
 * <p>The per-key sequence map holds one entry per distinct {@code code:truckId} seen (at most
 * {@code codes × trucks}). Not thread-safe: confine an instance, with its random source, to one event
 * loop. Given the same settings, seed and prefix, the stream is the same.
 */
public final class EventGenerator {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final char[] RUN_ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final String PAD_FIELD = "pad";

    private final GeneratorSettings settings;
    private final RandomGenerator rnd;
    private final String eventIdPrefix;
    private final int[] codes;
    private final double[] cumulativeWeights;
    private final ParetoSampler trucks;
    private final int truckIdDigits;
    private final String padSource;
    private final Map<Long, Long> seqByKey = new HashMap<>();
    private long counter;

    /**
     * A generator whose event-id prefix is the configured one, or a random 8-character run id drawn from
     * {@code rnd}.
     *
     * @param settings the settings
     * @param rnd      the random source, e.g. {@code new SplittableRandom(seed)}; used only by this instance
     */
    public EventGenerator(GeneratorSettings settings, RandomGenerator rnd) {
        this(settings, rnd, settings.eventIdPrefix().orElseGet(() -> randomRunId(rnd)));
    }

    /**
     * @param settings      the settings
     * @param rnd           the random source; used only by this instance
     * @param eventIdPrefix 1-32 characters of {@code [A-Za-z0-9_-]}
     */
    public EventGenerator(GeneratorSettings settings, RandomGenerator rnd, String eventIdPrefix) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.rnd = Objects.requireNonNull(rnd, "rnd");
        if (eventIdPrefix == null || !PREFIX.matcher(eventIdPrefix).matches()) {
            throw new IllegalArgumentException(
                    "eventIdPrefix must be 1-32 characters of [A-Za-z0-9_-], got " + eventIdPrefix);
        }
        this.eventIdPrefix = eventIdPrefix;
        Map<Integer, Double> weights = settings.codes();
        this.codes = new int[weights.size()];
        this.cumulativeWeights = new double[weights.size()];
        double total = 0;
        int i = 0;
        for (Map.Entry<Integer, Double> entry : weights.entrySet()) {
            total += entry.getValue();
            codes[i] = entry.getKey();
            cumulativeWeights[i] = total;
            i++;
        }
        this.trucks = new ParetoSampler(settings.trucks(), settings.hotKeyShare(), settings.hotTrafficShare());
        this.truckIdDigits = Math.max(5, Integer.toString(settings.trucks()).length());
        StringBuilder pad = new StringBuilder(settings.payloadBytes());
        for (int p = 0; p < settings.payloadBytes(); p++) {
            pad.append(RUN_ID_CHARS[rnd.nextInt(RUN_ID_CHARS.length)]);
        }
        this.padSource = pad.toString();
    }

    /** A random run id of 8 characters of {@code [a-z0-9]}, for event-id prefixes. */
    public static String randomRunId(RandomGenerator rnd) {
        char[] id = new char[8];
        for (int i = 0; i < id.length; i++) {
            id[i] = RUN_ID_CHARS[rnd.nextInt(RUN_ID_CHARS.length)];
        }
        return new String(id);
    }

    /** The truck id of a 0-based truck index, e.g. index 41 → {@code "T-00042"}. */
    public String truckId(int truckIndex) {
        String digits = Integer.toString(truckIndex + 1);
        StringBuilder id = new StringBuilder(2 + truckIdDigits).append("T-");
        for (int i = digits.length(); i < truckIdDigits; i++) {
            id.append('0');
        }
        return id.append(digits).toString();
    }

    /**
     * The next event.
     *
     * @param nowMillis the event's {@code timestamp} (epoch milliseconds)
     * @return a new, mutable event object owned by the caller
     */
    public JsonObject next(long nowMillis) {
        int code = nextCode();
        int truckIndex = trucks.next(rnd);
        String truckId = truckId(truckIndex);
        long seq = seqByKey.merge(((long) code << 32) | truckIndex, 1L, Long::sum);
        counter++;
        String eventId = eventIdPrefix + "-" + counter;

        JsonObject event = new JsonObject(new java.util.LinkedHashMap<>(24))
                .put("eventId", eventId)
                .put("code", code)
                .put("truckId", truckId)
                .put("timestamp", nowMillis)
                .put("seq", seq);
        // {"eventId":"…","code":…,"truckId":"…","timestamp":…,"seq":…}
        int length = 2
                + 4
                + field("eventId", eventId.length() + 2)
                + field("code", Integer.toString(code).length())
                + field("truckId", truckId.length() + 2)
                + field("timestamp", Long.toString(nowMillis).length())
                + field("seq", Long.toString(seq).length());
        int target = settings.payloadBytes();
        length = addTelemetry(event, length, target);
        int room = target - length - 1 - field(PAD_FIELD, 2); // ,"pad":"<room chars>"
        if (room >= 0) {
            event.put(PAD_FIELD, padSource.substring(0, room));
        }
        return event;
    }

    /** Number of events generated so far. */
    public long generated() {
        return counter;
    }

    /** The event-id prefix of this instance. */
    public String eventIdPrefix() {
        return eventIdPrefix;
    }

    /** Number of distinct {@code code:truckId} keys generated so far. */
    public int distinctKeys() {
        return seqByKey.size();
    }

    /** The settings this generator was built with. */
    public GeneratorSettings settings() {
        return settings;
    }

    private int nextCode() {
        double u = rnd.nextDouble() * cumulativeWeights[cumulativeWeights.length - 1];
        int low = 0;
        int high = cumulativeWeights.length - 1;
        while (low < high) { // first index whose cumulative weight is > u (skips zero weights)
            int mid = (low + high) >>> 1;
            if (cumulativeWeights[mid] > u) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return codes[low];
    }

    /** Appends telemetry fields while they fit; returns the new serialized length. */
    private int addTelemetry(JsonObject event, int length, int target) {
        for (int f = 0; ; f++) {
            String name;
            Object value;
            switch (f) {
                case 0 -> {
                    name = "speedKmh";
                    value = round(rnd.nextDouble() * 120, 10);
                }
                case 1 -> {
                    name = "heading";
                    value = rnd.nextInt(360);
                }
                case 2 -> {
                    name = "lat";
                    value = round(-23.5 - rnd.nextDouble(), 100_000);
                }
                case 3 -> {
                    name = "lon";
                    value = round(-46.5 - rnd.nextDouble(), 100_000);
                }
                case 4 -> {
                    name = "fuelPct";
                    value = round(5 + rnd.nextDouble() * 95, 10);
                }
                case 5 -> {
                    name = "engineTempC";
                    value = round(70 + rnd.nextDouble() * 40, 10);
                }
                case 6 -> {
                    name = "odometerKm";
                    value = 10_000L + rnd.nextInt(900_000);
                }
                case 7 -> {
                    name = "rpm";
                    value = 600 + rnd.nextInt(2400);
                }
                case 8 -> {
                    name = "batteryV";
                    value = round(12 + rnd.nextDouble() * 2.5, 100);
                }
                case 9 -> {
                    name = "ignition";
                    value = rnd.nextInt(10) != 0;
                }
                case 10 -> {
                    name = "altitudeM";
                    value = 700 + rnd.nextInt(300);
                }
                case 11 -> {
                    name = "satellites";
                    value = 4 + rnd.nextInt(9);
                }
                default -> {
                    return length;
                }
            }
            int added = 1 + field(name, String.valueOf(value).length());
            if (length + added > target) {
                return length;
            }
            event.put(name, value);
            length += added;
        }
    }

    /** Serialized length of {@code "name":value} without the separating comma. */
    private static int field(String name, int valueLength) {
        return name.length() + 3 + valueLength;
    }

    private static double round(double value, int scale) {
        return (double) Math.round(value * scale) / scale;
    }
}
