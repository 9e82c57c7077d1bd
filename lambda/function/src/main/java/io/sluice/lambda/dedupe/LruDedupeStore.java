package io.sluice.lambda.dedupe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * In-memory LRU of delivered keys, bounded by {@code capacity}: it skips keys seen in this warm container
 * (a Lambda execution environment). Thread-safe (one lock; calls are a handful per invocation).
 */
public final class LruDedupeStore implements DedupeStore {

  private final int capacity;
  private final LinkedHashMap<String, Boolean> keys;

  public LruDedupeStore(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("dedupe capacity must be >= 1 but was " + capacity);
    }
    this.capacity = capacity;
    this.keys = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > LruDedupeStore.this.capacity;
      }
    };
  }

  @Override
  public synchronized boolean seen(String key) {
    return keys.get(key) != null;
  }

  @Override
  public synchronized void markSeen(String key) {
    keys.put(key, Boolean.TRUE);
  }

  public synchronized int size() {
    return keys.size();
  }

  public int capacity() {
    return capacity;
  }
}
