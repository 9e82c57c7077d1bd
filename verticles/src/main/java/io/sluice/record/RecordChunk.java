package io.sluice.record;

import java.util.List;

/** One poll's records for one pipeline, handed from the consumer to batching in one event-bus message. */
public record RecordChunk(List<InRecord> records) {}
