package io.sluice.ops.hotkeys;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** The text of {@code hot-keys}: the {@code hotKeys} section of {@code /api/status} as tables. Pure logic. */
final class HotKeysReport {
    private HotKeysReport() {}

    /**
     * @param side     {@code producer}, {@code consumer} or {@code all}
     * @param pipeline only this pipeline's consumer (null: every one)
     * @param topic    only this topic (null: every one)
     * @param top      keys per partition at most
     */
    static String format(JsonObject hotKeys, String side, String pipeline, String topic, int top) {
        if (hotKeys == null) {
            return "this instance reports no hot keys (a Sluice before hot keys?)";
        }
        if (!hotKeys.getBoolean("enabled", false)) {
            return "hot keys are disabled on this instance (hotKeys.enabled=false)";
        }
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "hot keys per partition (window %d s in slices of %d s)%n",
                hotKeys.getLong("windowSeconds"),
                hotKeys.getLong("intervalSeconds")));
        if (!side.equals("consumer")) {
            section(b, "producer (acknowledged sends)", hotKeys.getJsonObject("producer"), topic, top);
        }
        if (!side.equals("producer")) {
            JsonObject cs = hotKeys.getJsonObject("consumer", new JsonObject());
            for (String name : cs.fieldNames()) {
                if (pipeline == null || pipeline.equals(name)) {
                    section(b, "consumer, pipeline " + name + " (polled records)", cs.getJsonObject(name), topic, top);
                }
            }
        }
        return b.toString().stripTrailing();
    }

    private static void section(StringBuilder b, String title, JsonObject s, String topic, int top) {
        b.append('\n').append(title);
        JsonArray parts = s == null ? new JsonArray() : s.getJsonArray("partitions", new JsonArray());
        if (parts.isEmpty()) {
            b.append(": no records in the window\n");
            return;
        }
        b.append(String.format(
                Locale.ROOT,
                ": %d records over %.1f s, %d unkeyed%n",
                s.getLong("records"),
                s.getDouble("spanSeconds"),
                s.getLong("unkeyed")));
        b.append(String.format(
                Locale.ROOT,
                "  %-20s %5s %10s  %-24s %7s %9s%n",
                "TOPIC",
                "PART",
                "RECORDS/S",
                "KEY",
                "SHARE",
                "KEY/S"));
        for (int i = 0; i < parts.size(); i++) {
            JsonObject p = parts.getJsonObject(i);
            if (topic != null && !topic.equals(p.getString("topic"))) {
                continue;
            }
            JsonArray keys = p.getJsonArray("keys");
            for (int k = 0; k < Math.min(top, Math.max(1, keys.size())); k++) {
                JsonObject key = keys.isEmpty() ? null : keys.getJsonObject(k);
                String lead = k == 0
                        ? String.format(
                                Locale.ROOT,
                                "  %-20s %5d %10.1f",
                                p.getString("topic"),
                                p.getInteger("partition"),
                                p.getDouble("perSecond"))
                        : String.format(Locale.ROOT, "  %-20s %5s %10s", "", "", "");
                b.append(lead)
                        .append(
                                key == null
                                        ? (p.getLong("unkeyed") == p.getLong("records")
                                                ? "  (unkeyed only)"
                                                : "  (no key stands out)")
                                        : String.format(
                                                Locale.ROOT,
                                                "  %-24s %6.1f%% %9.1f",
                                                key.getString("key"),
                                                key.getDouble("share") * 100,
                                                key.getDouble("perSecond")))
                        .append('\n');
            }
        }
    }
}
