package io.sluice.hotkeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class KeyWindowTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final HotKeySettings settings = new HotKeySettings(true, 1_000, 10, 64, 3, 2);

    private static byte[] k(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** 30% of the partition's records carry one key, the rest spread over 5,000 keys: it is named with its share. */
    @Test
    void namesTheHotKeyWithItsShareUnderSkew() {
        KeyWindow w = new KeyWindow(settings, now::get);
        Random rnd = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            now.incrementAndGet(); // 50 s of traffic at 1,000/s
            w.record("t", 3, rnd.nextInt(100) < 30 ? k("300:hot") : k("301:" + rnd.nextInt(5_000)));
        }
        KeyWindow.Snapshot s = w.snapshot(3);
        assertThat(s.partitions()).hasSize(1);
        KeyWindow.PartitionKeys p = s.partitions().get(0);
        assertThat(p.partition()).isEqualTo(3);
        assertThat(p.keys().get(0).key()).isEqualTo("300:hot");
        assertThat(p.keys().get(0).share()).isCloseTo(0.30, within(0.02));
        // the window holds 10 one-second slices of 1,000 records (the slice being filled is not yet visible)
        assertThat(p.records()).isEqualTo(10_000);
        assertThat(s.spanSeconds()).isEqualTo(10.0);
        assertThat(p.perSecond()).isCloseTo(1_000, within(1.0));
        assertThat(p.keys().get(0).perSecond()).isCloseTo(300, within(30.0));
    }

    @Test
    void slicesLeaveTheWindowAndTheFillingSliceIsNotSeen() {
        KeyWindow w = new KeyWindow(settings, now::get);
        now.set(10_000);
        w.record("t", 0, k("a"));
        assertThat(w.snapshot(3).partitions()).isEmpty(); // still filling
        now.set(11_000);
        w.record("t", 0, k("b")); // publishes the slice holding "a"
        assertThat(w.snapshot(3).partitions().get(0).keys())
                .extracting(KeyWindow.HotKey::key)
                .containsExactly("a");
        now.set(25_000); // far past the window: the published slice is out, nothing newer was published yet
        assertThat(w.snapshot(3).partitions()).isEmpty();
        w.record("t", 0, k("c")); // publishes "b" (its slice ended long ago: out of the window too)
        assertThat(w.snapshot(3).partitions()).isEmpty();
    }

    @Test
    void countsUnkeyedRecordsApartFromKeys() {
        KeyWindow w = new KeyWindow(settings, now::get);
        now.set(0);
        w.record("t", 1, null);
        w.record("t", 1, k("x"));
        now.set(1_000);
        w.record("t", 1, k("x"));
        KeyWindow.Snapshot s = w.snapshot(3);
        assertThat(s.unkeyed()).isEqualTo(1);
        assertThat(s.partitions().get(0).records()).isEqualTo(2);
        assertThat(s.partitions().get(0).keys().get(0).share()).isEqualTo(0.5);
    }

    /** 200,000 distinct keys: the sketch keeps at most its map size per slice, whatever the key count. */
    @Test
    void memoryIsBoundedByTheSketchSize() {
        KeyWindow w = new KeyWindow(settings, now::get);
        now.set(0);
        for (int i = 0; i < 200_000; i++) {
            w.record("t", 0, k("key-" + i));
        }
        now.set(1_000);
        w.record("t", 0, k("z"));
        KeyWindow.PartitionKeys p = w.snapshot(3).partitions().get(0);
        assertThat(p.records()).isEqualTo(200_000);
        // no key stands out above the sketch's error bound: none is named (no false positives)
        assertThat(p.keys()).isEmpty();
    }

    @Test
    void offCountsNothing() {
        KeyWindow w = KeyWindow.off();
        w.record("t", 0, k("a"));
        assertThat(w.enabled()).isFalse();
        assertThat(w.snapshot(3).partitions()).isEmpty();
        assertThat(HotKeys.off().toJson().getBoolean("enabled")).isFalse();
    }

    @Test
    void statusJsonAndBoundedGaugeRows() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HotKeys hk = new HotKeys(settings, registry, now::get);
        now.set(0);
        for (int i = 0; i < 100; i++) {
            hk.producer().record("t", 0, k(i < 60 ? "hot" : "k" + i));
            hk.consumer("p1").record("t", 1, k(i < 20 ? "warm" : "k" + i));
        }
        now.set(1_000);
        hk.producer().record("t", 0, k("x"));
        hk.consumer("p1").record("t", 1, k("x"));
        JsonObject j = hk.toJson();
        JsonObject prodPart =
                j.getJsonObject("producer").getJsonArray("partitions").getJsonObject(0);
        assertThat(prodPart.getJsonArray("keys").getJsonObject(0).getString("key"))
                .isEqualTo("hot");
        assertThat(prodPart.getJsonArray("keys").getJsonObject(0).getDouble("share"))
                .isEqualTo(0.6);
        assertThat(j.getJsonObject("consumer")
                        .getJsonObject("p1")
                        .getJsonArray("partitions")
                        .getJsonObject(0)
                        .getJsonArray("keys")
                        .getJsonObject(0)
                        .getString("key"))
                .isEqualTo("warm");
        hk.refreshMeters();
        // metricsTopN = 2 per partition, two partitions
        assertThat(registry.find("sluice.hotkeys.share").gauges()).hasSize(4);
        assertThat(registry.get("sluice.hotkeys.share")
                        .tag("side", "producer")
                        .tag("rank", "1")
                        .gauge()
                        .value())
                .isEqualTo(0.6);
        now.set(30_000); // everything left the window
        hk.refreshMeters();
        assertThat(registry.find("sluice.hotkeys.share").gauges()).isEmpty();
    }

    @Test
    void settingsFromConfigNameTheBadKey() {
        HotKeySettings s = HotKeySettings.from(
                new Cfg(new JsonObject().put("windowSeconds", 30).put("intervalSeconds", 3), "hotKeys"));
        assertThat(s.intervals()).isEqualTo(10);
        assertThat(HotKeySettings.from(new Cfg(new JsonObject(), "hotKeys"))).isEqualTo(HotKeySettings.DEFAULTS);
        assertThatThrownBy(() -> HotKeySettings.from(new Cfg(new JsonObject().put("windowSeconds", 7), "hotKeys")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("hotKeys.windowSeconds");
        assertThatThrownBy(() -> HotKeySettings.from(new Cfg(new JsonObject().put("sketchSize", 100), "hotKeys")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("hotKeys.sketchSize");
        assertThatThrownBy(() -> HotKeySettings.from(new Cfg(new JsonObject().put("topK", 1), "hotKeys")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topK");
    }
}
