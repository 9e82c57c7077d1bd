package io.sluice.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Keeps the tags of the Vert.x HTTP meters ({@code vertx.http.*}, vertx-micrometer-metrics) to known values:
 * a request method outside the standard ones is recorded as {@code method="OTHER"}, so made-up methods cannot
 * add series. (Vert.x tags only method and status code by default; path and route labels stay off.)
 */
public final class HttpMetricTags {
    public static final String OTHER = "OTHER";
    static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");
    private static final Set<MeterRegistry> INSTALLED = Collections.newSetFromMap(new WeakHashMap<>());

    private HttpMetricTags() {}

    /** The filter: {@code vertx.http.*} meters get {@code method} folded to a known value. */
    public static MeterFilter filter() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith("vertx.http.")) {
                    return id;
                }
                String method = id.getTag("method");
                if (method == null || METHODS.contains(method)) {
                    return id;
                }
                List<Tag> tags = new ArrayList<>();
                for (Tag t : id.getTagsAsIterable()) {
                    tags.add(t.getKey().equals("method") ? Tag.of("method", OTHER) : t);
                }
                return id.replaceTags(tags);
            }
        };
    }

    /**
     * Adds {@link #filter()} to {@code registry} once (later calls are no-ops). Call before the HTTP servers
     * take requests: meters registered earlier are not changed.
     */
    public static void install(MeterRegistry registry) {
        synchronized (INSTALLED) {
            if (INSTALLED.add(registry)) {
                registry.config().meterFilter(filter());
            }
        }
    }

    /** For tests: whether {@code install} ran for {@code registry}. */
    static boolean installed(MeterRegistry registry) {
        synchronized (INSTALLED) {
            return INSTALLED.contains(registry);
        }
    }
}
