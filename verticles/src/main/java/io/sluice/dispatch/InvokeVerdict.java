package io.sluice.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.pipeline.InRecord;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a successful HTTP answer of the function means for each record of the batch. Follows the
 * event source mapping's rules: {@code batchItemFailures} lists records to retry; an identifier that
 * names no record of the batch fails the whole batch; any other answer (or none) means all delivered.
 * Sluice's dispatcher also answers {@code invalidRecords} (permanently invalid: DLQ at once).
 *
 * @param retryAll    the whole batch must be retried (function error, or a malformed failure list)
 * @param retry       offsets to retry
 * @param invalid     offset → reason, to dead-letter at once
 * @param reason      why (for retryAll)
 */
public record InvokeVerdict(boolean retryAll, Set<Long> retry, Map<Long, String> invalid, String reason) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static InvokeVerdict allDelivered() {
        return new InvokeVerdict(false, Set.of(), Map.of(), null);
    }

    public static InvokeVerdict retryAll(String reason) {
        return new InvokeVerdict(true, Set.of(), Map.of(), reason);
    }

    /**
     * @param functionError the {@code X-Amz-Function-Error} value, or null
     * @param payload       the function's answer
     * @param records       the batch (all of one topic-partition)
     */
    public static InvokeVerdict of(String functionError, byte[] payload, String topicPartition, List<InRecord> records) {
        if (functionError != null) {
            return retryAll("function error (" + functionError + "): " + errorMessage(payload));
        }
        if (payload == null || payload.length == 0) {
            return allDelivered();
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(payload);
        } catch (IOException e) {
            return allDelivered(); // not a failure report: the mapping treats it as success
        }
        if (root == null || !root.isObject()) {
            return allDelivered();
        }
        Set<Long> offsets = new HashSet<>(records.size() * 2);
        for (InRecord r : records) {
            offsets.add(r.offset());
        }
        Set<Long> retry = new HashSet<>();
        JsonNode failures = root.get("batchItemFailures");
        if (failures != null && !failures.isNull()) {
            if (!failures.isArray()) {
                return retryAll("batchItemFailures is not an array");
            }
            for (JsonNode f : failures) {
                Long off = identifiedOffset(f, topicPartition, offsets);
                if (off == null) {
                    return retryAll("batchItemFailures names a record not in the batch: " + f);
                }
                retry.add(off);
            }
        }
        Map<Long, String> invalid = new HashMap<>();
        JsonNode inv = root.get("invalidRecords");
        if (inv != null && inv.isArray()) {
            for (JsonNode f : inv) {
                Long off = identifiedOffset(f, topicPartition, offsets);
                if (off != null && !retry.contains(off)) {
                    JsonNode reason = f.get("reason");
                    invalid.put(off, reason == null ? "invalid" : reason.asText());
                }
            }
        }
        return new InvokeVerdict(false, retry, invalid, retry.isEmpty() ? null : "partial failure");
    }

    private static Long identifiedOffset(JsonNode f, String topicPartition, Set<Long> offsets) {
        JsonNode id = f == null ? null : f.get("itemIdentifier");
        if (id == null || !id.isObject()) {
            return null;
        }
        JsonNode tp = id.get("topic-partition");
        JsonNode off = id.get("offset");
        if (tp == null || !topicPartition.equals(tp.asText()) || off == null) {
            return null;
        }
        long o;
        if (off.isIntegralNumber()) {
            o = off.asLong();
        } else if (off.isTextual() && off.asText().matches("\\d+")) {
            o = Long.parseLong(off.asText());
        } else {
            return null;
        }
        return offsets.contains(o) ? o : null;
    }

    private static String errorMessage(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return "(no body)";
        }
        try {
            JsonNode n = MAPPER.readTree(payload);
            if (n != null && n.has("errorMessage")) {
                return n.get("errorType") == null ? n.get("errorMessage").asText()
                        : n.get("errorType").asText() + ": " + n.get("errorMessage").asText();
            }
        } catch (IOException ignored) {
            // fall through to the raw text
        }
        String s = new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
