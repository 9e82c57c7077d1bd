package io.sluice.locallambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.lambda.DispatchResponse;
import io.sluice.lambda.Dispatcher;
import io.sluice.lambda.InvalidRecord;
import io.sluice.lambda.RecordId;
import io.sluice.lambda.event.KafkaEventBatch;
import io.sluice.lambda.event.KafkaEventParser;
import io.sluice.lambda.event.KafkaEventRecord;
import io.sluice.locallambda.internal.EventIdSet;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Counts what the caller delivered to the dispatcher function twice: an event id in a record the function
 * acknowledged (neither in {@code batchItemFailures} nor in {@code invalidRecords}) that it had acknowledged in an
 * earlier invocation. With the function's dedupe on this is what Sluice redelivered, while the sink counts what
 * got past the dedupe ({@link SinkStore#duplicates()}). Wraps the function; counting failures never fail it.
 */
final class FunctionDuplicates implements LambdaFunction {
    private final LambdaFunction inner;
    private final KafkaEventParser parser = new KafkaEventParser(Dispatcher.MAPPER);
    private final EventIdSet acknowledged = new EventIdSet(1 << 16);
    private long duplicates;

    FunctionDuplicates(LambdaFunction inner) {
        this.inner = inner;
    }

    @Override
    public byte[] invoke(byte[] payload, Map<String, String> headers) throws Exception {
        byte[] out = inner.invoke(payload, headers);
        try {
            count(parser.parse(payload), DispatchResponse.parse(out, Dispatcher.MAPPER));
        } catch (RuntimeException e) {
            // a payload or answer the function itself rejected: nothing acknowledged to count
        }
        return out;
    }

    private void count(KafkaEventBatch batch, DispatchResponse answer) throws RuntimeException {
        Set<RecordId> notAcked = new HashSet<>(answer.batchItemFailures());
        for (InvalidRecord r : answer.invalidRecords()) {
            notAcked.add(r.id());
        }
        long now = System.currentTimeMillis();
        for (KafkaEventRecord r : batch.records()) {
            if (notAcked.contains(r.id()) || r.valueBase64() == null) {
                continue;
            }
            String id;
            try {
                JsonNode v = Dispatcher.MAPPER.readTree(Base64.getDecoder().decode(r.valueBase64()));
                id = v == null ? null : v.path("eventId").textValue();
            } catch (java.io.IOException | IllegalArgumentException e) {
                continue;
            }
            if (id != null) {
                synchronized (this) {
                    if (!acknowledged.add(id, now)) {
                        duplicates++;
                    }
                }
            }
        }
    }

    /** Event ids acknowledged again after an earlier acknowledgement. */
    synchronized long duplicates() {
        return duplicates;
    }
}
