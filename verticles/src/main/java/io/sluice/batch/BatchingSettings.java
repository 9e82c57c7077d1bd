package io.sluice.batch;

import io.sluice.record.Ordering;

/**
 * What one pipeline's batching verticle needs: the pipeline's name (its addresses and logs), the ordering and key
 * lanes, the batch limits, and how many invocations may be in flight (the Lambda client's concurrency).
 */
public record BatchingSettings(String name, Ordering ordering, int lanes, BatchSettings batch, int maxConcurrency) {}
