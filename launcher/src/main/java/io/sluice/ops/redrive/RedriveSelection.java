package io.sluice.ops.redrive;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which DLQ records a redrive takes and where they go. Every filter is optional (null / empty = any). Pure.
 *
 * <p>Its {@link #id()} is a hash of everything that decides the outcome (DLQ topic, target, filters; not the rate, not
 * {@code --dry-run}): the same selection has the same id in every run, and its progress lives in the consumer group
 * {@code sluice-redrive-<id>} (see {@link RedriveRun}).
 *
 * @param toTopic      every record goes here; null = each record's {@code sluice-source-topic}
 * @param from         DLQ record timestamp (when it was dead-lettered) at or after; null = any
 * @param until        DLQ record timestamp before; null = any
 * @param errorClasses {@code sluice-error-class} one of; empty = any
 * @param minOffset    {@code sluice-source-offset} at least (inclusive); null = any
 * @param maxOffset    {@code sluice-source-offset} at most (inclusive); null = any
 */
record RedriveSelection(
        String dlqTopic,
        String toTopic,
        Instant from,
        Instant until,
        Set<String> errorClasses,
        String sourceTopic,
        Integer sourcePartition,
        Long minOffset,
        Long maxOffset) {

    RedriveSelection {
        errorClasses = Set.copyOf(new TreeSet<>(errorClasses));
    }

    /** Whether {@code d} is selected. */
    boolean matches(DeadLetter d) {
        if (from != null && d.timestampMs() < from.toEpochMilli()) {
            return false;
        }
        if (until != null && d.timestampMs() >= until.toEpochMilli()) {
            return false;
        }
        if (!errorClasses.isEmpty() && (d.errorClass() == null || !errorClasses.contains(d.errorClass()))) {
            return false;
        }
        if (sourceTopic != null && !sourceTopic.equals(d.sourceTopic())) {
            return false;
        }
        if (sourcePartition != null && !sourcePartition.equals(d.sourcePartition())) {
            return false;
        }
        if (minOffset != null && (d.sourceOffset() == null || d.sourceOffset() < minOffset)) {
            return false;
        }
        return maxOffset == null || (d.sourceOffset() != null && d.sourceOffset() <= maxOffset);
    }

    /** Where {@code d} goes: {@code toTopic}, else its source topic; null when neither is known (not redriven). */
    String targetOf(DeadLetter d) {
        return toTopic != null ? toTopic : d.sourceTopic();
    }

    /** The selection as JSON (the audit record's {@code selection}); fields in a fixed order. */
    JsonObject toJson() {
        JsonObject j =
                new JsonObject().put("dlqTopic", dlqTopic).put("toTopic", toTopic == null ? "(source topic)" : toTopic);
        if (from != null) {
            j.put("from", from.toString());
        }
        if (until != null) {
            j.put("until", until.toString());
        }
        if (!errorClasses.isEmpty()) {
            j.put("errorClasses", new JsonArray(List.copyOf(new TreeSet<>(errorClasses))));
        }
        if (sourceTopic != null) {
            j.put("sourceTopic", sourceTopic);
        }
        if (sourcePartition != null) {
            j.put("sourcePartition", sourcePartition);
        }
        if (minOffset != null) {
            j.put("minOffset", minOffset);
        }
        if (maxOffset != null) {
            j.put("maxOffset", maxOffset);
        }
        return j;
    }

    /** A stable id of this selection: {@code sel-} and 12 hex digits of the SHA-256 of {@link #toJson()}. */
    String id() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(toJson().encode().getBytes(StandardCharsets.UTF_8));
            return "sel-" + HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The consumer group whose committed offsets on the DLQ topic are this selection's progress. */
    String progressGroup() {
        return "sluice-redrive-" + id();
    }
}
