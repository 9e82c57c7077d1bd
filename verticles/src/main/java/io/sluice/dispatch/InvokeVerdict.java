package io.sluice.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.record.InRecord;
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
 * <p>Records are named as the event names them: {@code "<topic>-<partition>"} and offset ({@link Ref}); one
 * invocation may carry records of several partitions.
 *
 * @param retryAll    the whole batch must be retried (function error, or a malformed failure list)
 * @param retry       records to retry
 * @param invalid     record → reason, to dead-letter at once
 * @param reason      why (for retryAll)
 */
record InvokeVerdict(boolean retryAll, Set<Ref> retry, Map<Ref, String> invalid, String reason) {

    /** A record as the event and the answer name it. */
    public record Ref(String topicPartition, long offset) {
        public static Ref of(InRecord r) {
            return new Ref(r.topic() + "-" + r.partition(), r.offset());
        }
    }

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
     * @param records       the records of the invocation
     */
    public static InvokeVerdict of(String functionError, byte[] payload, List<InRecord> records) {
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
        JsonNode failures = root.get("batchItemFailures");
        JsonNode inv = root.get("invalidRecords");
        boolean anyFailure = failures != null && !failures.isNull() && !(failures.isArray() && failures.isEmpty());
        boolean anyInvalid = inv != null && inv.isArray() && !inv.isEmpty();
        if (!anyFailure && !anyInvalid) {
            return allDelivered();
        }
        Set<Ref> known = new HashSet<>(records.size() * 2);
        for (InRecord r : records) {
            known.add(Ref.of(r));
        }
        Set<Ref> retry = new HashSet<>();
        if (anyFailure) {
            if (!failures.isArray()) {
                return retryAll("batchItemFailures is not an array");
            }
            for (JsonNode f : failures) {
                Ref ref = identified(f, known);
                if (ref == null) {
                    return retryAll("batchItemFailures names a record not in the batch: " + f);
                }
                retry.add(ref);
            }
        }
        Map<Ref, String> invalid = new HashMap<>();
        if (anyInvalid) {
            for (JsonNode f : inv) {
                Ref off = identified(f, known);
                if (off != null && !retry.contains(off)) {
                    JsonNode reason = f.get("reason");
                    invalid.put(off, reason == null ? "invalid" : reason.asText());
                }
            }
        }
        return new InvokeVerdict(false, retry, invalid, retry.isEmpty() ? null : "partial failure");
    }

    private static Ref identified(JsonNode f, Set<Ref> known) {
        JsonNode id = f == null ? null : f.get("itemIdentifier");
        if (id == null || !id.isObject()) {
            return null;
        }
        JsonNode tp = id.get("topic-partition");
        JsonNode off = id.get("offset");
        if (tp == null || !tp.isTextual() || off == null) {
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
        Ref ref = new Ref(tp.asText(), o);
        return known.contains(ref) ? ref : null;
    }

    private static String errorMessage(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return "(no body)";
        }
        try {
            JsonNode n = MAPPER.readTree(payload);
            if (n != null && n.has("errorMessage")) {
                return n.get("errorType") == null
                        ? n.get("errorMessage").asText()
                        : n.get("errorType").asText() + ": "
                                + n.get("errorMessage").asText();
            }
        } catch (IOException ignored) {
            // fall through to the raw text
        }
        String s = new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
