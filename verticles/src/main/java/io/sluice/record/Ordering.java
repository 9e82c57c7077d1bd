package io.sluice.record;

import java.util.LinkedHashMap;
import java.util.Map;

/** How much concurrency a partition gets while keeping order. */
public enum Ordering {
    /** At most one batch in flight per partition (what an AWS event source mapping does). */
    PARTITION("partition"),
    /** Records split into lanes by key hash; one batch in flight per lane: per-key order, concurrent partition. */
    KEY("key");

    private final String configName;

    Ordering(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static Map<String, Ordering> byConfigName() {
        Map<String, Ordering> m = new LinkedHashMap<>();
        for (Ordering o : values()) {
            m.put(o.configName, o);
        }
        return m;
    }
}
