package io.sluice.loadtest.run;

import java.util.SplittableRandom;

/**
 * How the input picks each event's key {@code code:truckId}: a code (400/300/500 at 70/20/10 %) and a truck
 * (80/20: 20 % of the trucks send 80 % of the events, uniform within each group), optionally with one hot key
 * ({@link #hotKey()}, {@code 400:T-00001}) that carries a fixed share of all events. With a hot share, an event
 * is the hot key with probability {@code share}; otherwise its key is drawn 80/20 as usual, redrawn while it
 * would be the hot key, so the hot key's share is exactly {@code share} in expectation and no other key comes
 * near it. A share of 1 is a single-key input. Pure; the caller owns the random source.
 */
public final class KeyDraw {
    /** The codes and their cumulative weights (70/20/10%). */
    static final int[] CODES = {400, 300, 500};

    private static final double[] CUMULATIVE = {0.7, 0.9, 1.0};

    private final int trucks;
    private final double hotShare;

    private KeyDraw(int trucks, double hotShare) {
        if (trucks < 1) {
            throw new IllegalArgumentException("trucks must be >= 1, got " + trucks);
        }
        this.trucks = trucks;
        this.hotShare = hotShare;
    }

    /** Today's input: codes 70/20/10 %, trucks 80/20, no key above ~0.06 % of the events (5,000 trucks). */
    public static KeyDraw eightyTwenty(int trucks) {
        return new KeyDraw(trucks, -1);
    }

    /**
     * The hot key {@link #hotKey()} carries {@code share} of the events (0..1; 1 = only that key), the rest is
     * {@link #eightyTwenty} over the other keys.
     */
    public static KeyDraw withHotKey(int trucks, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("hot key share must be between 0 and 1, got " + share);
        }
        if (trucks == 1 && share < 1) {
            throw new IllegalArgumentException("one truck with a hot share below 1: every key would be the hot key");
        }
        return new KeyDraw(trucks, share);
    }

    /** The hot key's target share, or null when this draw has no hot key. */
    public Double hotShare() {
        return hotShare < 0 ? null : hotShare;
    }

    public int trucks() {
        return trucks;
    }

    /** The hot key ({@code 400:T-00001}): code index 0, truck index 0. */
    public static String hotKey() {
        return CODES[0] + ":" + truckId(0);
    }

    /** Draws one key: {@code codeIndex * trucks + truckIndex} (see {@link #codeIndex}, {@link #truckIndex}). */
    public int draw(SplittableRandom rnd) {
        if (hotShare >= 0 && rnd.nextDouble() < hotShare) {
            return 0;
        }
        while (true) {
            double c = rnd.nextDouble();
            int ci = c < CUMULATIVE[0] ? 0 : c < CUMULATIVE[1] ? 1 : 2;
            int key = ci * trucks + truck(rnd, trucks);
            if (hotShare < 0 || key != 0) {
                return key;
            }
        }
    }

    /** Whether a drawn key is the hot key (never true without a hot share). */
    public boolean isHot(int key) {
        return hotShare >= 0 && key == 0;
    }

    public int codeIndex(int key) {
        return key / trucks;
    }

    public int truckIndex(int key) {
        return key % trucks;
    }

    /** The key's text, e.g. {@code 300:T-00042}. */
    public String keyText(int key) {
        return CODES[codeIndex(key)] + ":" + truckId(truckIndex(key));
    }

    static String truckId(int index) {
        String digits = Integer.toString(index + 1);
        return "T-" + "00000".substring(Math.min(5, digits.length())) + digits;
    }

    /** 80/20: 80% of the draws from the first fifth of the trucks, 20% from the rest, uniform within each. */
    static int truck(SplittableRandom rnd, int trucks) {
        int hot = Math.max(1, trucks / 5);
        return rnd.nextDouble() < 0.8 || hot == trucks ? rnd.nextInt(hot) : hot + rnd.nextInt(trucks - hot);
    }
}
