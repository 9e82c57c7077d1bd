package io.sluice.lambda;

/** A permanently invalid record and why (reported in {@code invalidRecords}). */
public record InvalidRecord(RecordId id, String reason) {}
