package io.sluice.lambda.dedupe;

/**
 * Remembers idempotency keys already delivered. Implementations are thread-safe. A key is marked only
 * after its target call succeeded, so a failed call is always retried.
 */
public interface DedupeStore {

  /** True when the key was delivered before (by this store's memory). */
  boolean seen(String key);

  void markSeen(String key);

  /** A store that remembers nothing. */
  static DedupeStore none() {
    return NoDedupe.INSTANCE;
  }

  /** The no-op store. */
  enum NoDedupe implements DedupeStore {
    INSTANCE;

    @Override
    public boolean seen(String key) {
      return false;
    }

    @Override
    public void markSeen(String key) {
      // remembers nothing
    }
  }
}
