package io.sluice.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The declared keys of one config object: what {@link Cfg} may read there and what {@link ConfigReference}
 * documents. A settings class declares its section once, next to the record it builds.
 *
 * @param description one line on what the object configures
 * @param keys        its keys, in the order they are documented
 */
public record Section(String description, List<Key<?>> keys) {
    public Section {
        keys = List.copyOf(keys);
        Set<String> names = new LinkedHashSet<>();
        for (Key<?> k : keys) {
            if (!names.add(k.name())) {
                throw new IllegalArgumentException("key '" + k.name() + "' declared twice");
            }
        }
    }

    public static Section of(String description, Key<?>... keys) {
        return new Section(description, Arrays.asList(keys));
    }

    /** This section with more keys (a section assembled from parts). */
    public Section with(Key<?>... more) {
        List<Key<?>> all = new ArrayList<>(keys);
        all.addAll(Arrays.asList(more));
        return new Section(description, all);
    }

    /** This section with the keys of a shared part (e.g. the HTTP servers' connection limits). */
    public Section with(List<Key<?>> more) {
        List<Key<?>> all = new ArrayList<>(keys);
        all.addAll(more);
        return new Section(description, all);
    }

    boolean declares(Key<?> key) {
        for (Key<?> k : keys) {
            if (k == key) {
                return true;
            }
        }
        return false;
    }
}
