package io.sluice.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class KeyDrawTest {

    private static Map<String, Integer> counts(KeyDraw d, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Integer> c = new HashMap<>();
        for (int i = 0; i < n; i++) {
            c.merge(d.keyText(d.draw(rnd)), 1, Integer::sum);
        }
        return c;
    }

    @Test
    void theHotKeyCarriesItsShareAndNoOtherKeyComesNearIt() {
        KeyDraw d = KeyDraw.withHotKey(5_000, 0.30);
        int n = 1_000_000;
        Map<String, Integer> c = counts(d, n, 7);
        assertThat(c.get(KeyDraw.hotKey()) / (double) n).isCloseTo(0.30, within(0.002));
        int secondHottest = c.entrySet().stream()
                .filter(e -> !e.getKey().equals(KeyDraw.hotKey()))
                .mapToInt(Map.Entry::getValue)
                .max()
                .orElseThrow();
        assertThat(secondHottest / (double) n)
                .as("the hottest of the other keys")
                .isLessThan(0.001);
        assertThat(c.size()).as("the others still spread over many keys").isGreaterThan(10_000);
    }

    @Test
    void isHotNamesExactlyTheHotKey() {
        KeyDraw d = KeyDraw.withHotKey(5_000, 0.5);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            int k = d.draw(rnd);
            assertThat(d.isHot(k)).isEqualTo(d.keyText(k).equals(KeyDraw.hotKey()));
        }
    }

    @Test
    void aShareOfOneIsASingleKeyInput() {
        Map<String, Integer> c = counts(KeyDraw.withHotKey(5_000, 1.0), 100_000, 11);
        assertThat(c).containsOnlyKeys(KeyDraw.hotKey());
    }

    @Test
    void aShareOfZeroNeverDrawsTheHotKey() {
        Map<String, Integer> c = counts(KeyDraw.withHotKey(5_000, 0.0), 1_000_000, 5);
        assertThat(c).doesNotContainKey(KeyDraw.hotKey());
    }

    @Test
    void withoutAHotKeyTheDrawIsTodaysEightyTwentyInputDrawForDraw() {
        // the same random sequence as the pacer drew before KeyDraw existed: code first, then the truck
        KeyDraw d = KeyDraw.eightyTwenty(5_000);
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            int k = d.draw(a);
            double c = b.nextDouble();
            int ci = c < 0.7 ? 0 : c < 0.9 ? 1 : 2;
            int t = InputPacer.truck(b, 5_000);
            assertThat(d.codeIndex(k)).isEqualTo(ci);
            assertThat(d.truckIndex(k)).isEqualTo(t);
            assertThat(d.isHot(k)).isFalse();
        }
        assertThat(d.hotShare()).isNull();
    }

    @Test
    void badSharesAreRefused() {
        assertThatThrownBy(() -> KeyDraw.withHotKey(5_000, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyDraw.withHotKey(5_000, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyDraw.withHotKey(1, 0.3)).isInstanceOf(IllegalArgumentException.class);
    }
}
