package io.sluice.locallambda.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.locallambda.SinkFaults;
import io.sluice.locallambda.SinkRecord;
import io.sluice.locallambda.SinkStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The local downstream sink: {@code POST /sink/events} (a JSON array of routed records; 200
 * {@code {"accepted":n}}, 400 when the body is not an array of objects with a string {@code eventId}),
 * {@code GET /sink/stats}, {@code POST /sink/reset}, {@code GET|PUT|DELETE /sink/faults}. A batch's arrival time
 * (the end of its end-to-end latency) is when its whole body has been received, before the sink parses it or
 * waits out an injected {@code latencyMs}: the sink's own work is not the pipeline's latency.
 */
public final class SinkApi {

    private static final JsonFactory JSON = new JsonFactory();
    private final Vertx vertx;
    private final SinkStore store;
    private final SinkFaults faults;

    public SinkApi(Vertx vertx, SinkStore store, SinkFaults faults) {
        this.vertx = vertx;
        this.store = store;
        this.faults = faults;
    }

    public void events(RoutingContext rc) {
        long arrivalMs = System.currentTimeMillis();
        if (faults.outage()
                || (faults.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < faults.errorRate())) {
            delayed(
                    faults.latencyMs(),
                    () -> ControlApi.json(
                            rc,
                            503,
                            new JsonObject()
                                    .put("message", "injected sink failure")
                                    .encode()));
            return;
        }
        List<SinkRecord> records;
        try {
            records =
                    parse(rc.body().buffer() == null ? null : rc.body().buffer().getBytes());
        } catch (IllegalArgumentException e) {
            ControlApi.json(
                    rc, 400, new JsonObject().put("message", e.getMessage()).encode());
            return;
        }
        delayed(faults.latencyMs(), () -> {
            store.record(records, arrivalMs);
            ControlApi.json(
                    rc, 200, new JsonObject().put("accepted", records.size()).encode());
        });
    }

    private void delayed(long ms, Runnable action) {
        if (ms <= 0) {
            action.run();
        } else {
            vertx.setTimer(ms, id -> action.run());
        }
    }

    /**
     * The routed records of a body, in one streaming pass: only the fields the accounting reads are kept
     * ({@code eventId}, {@code key} or else {@code code}:{@code truckId}, {@code seq}, {@code timestamp}); the rest,
     * the event itself included, is skipped without building a tree, so the sink costs the rig little per record.
     */
    static List<SinkRecord> parse(byte[] body) {
        if (body == null) {
            throw new IllegalArgumentException("body must be a JSON array of routed records");
        }
        List<SinkRecord> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("body must be a JSON array of routed records");
            }
            JsonToken t;
            for (int i = 0; (t = p.nextToken()) != JsonToken.END_ARRAY; i++) {
                if (t != JsonToken.START_OBJECT) {
                    throw new IllegalArgumentException("element " + i + " must be a routed record object");
                }
                out.add(record(p, i));
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the JSON array");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("body could not be read: " + e.getMessage());
        }
        return out;
    }

    private static SinkRecord record(JsonParser p, int i) throws IOException {
        String eventId = null;
        String key = null;
        String code = null;
        String truckId = null;
        Long seq = null;
        long ts = -1L;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "eventId" -> eventId = v == JsonToken.VALUE_STRING ? p.getText() : null;
                case "key" -> key = v == JsonToken.VALUE_STRING ? p.getText() : null;
                case "code" -> code = v.isScalarValue() && v != JsonToken.VALUE_NULL ? p.getText() : null;
                case "truckId" -> truckId = v.isScalarValue() && v != JsonToken.VALUE_NULL ? p.getText() : null;
                case "seq" -> seq = v.isNumeric() ? p.getLongValue() : null;
                case "timestamp" -> ts = v.isNumeric() ? p.getLongValue() : -1L;
                default -> p.skipChildren();
            }
        }
        if (eventId == null) {
            throw new IllegalArgumentException("element " + i + " must have a string eventId");
        }
        if (key == null && code != null && truckId != null) {
            key = code + ":" + truckId;
        }
        return new SinkRecord(eventId, key, seq, ts);
    }

    public void stats(RoutingContext rc) {
        ControlApi.json(rc, 200, store.stats().toJson().encode());
    }

    public void reset(RoutingContext rc) {
        store.reset();
        rc.response().setStatusCode(204).end();
    }

    public void getFaults(RoutingContext rc) {
        ControlApi.json(rc, 200, faults.toJson().encode());
    }

    public void putFaults(RoutingContext rc) {
        try {
            JsonObject patch = rc.body().asJsonObject();
            if (patch == null) {
                throw new IllegalArgumentException("body must be a JSON object");
            }
            ControlApi.json(rc, 200, faults.apply(patch).encode());
        } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
            ControlApi.json(
                    rc, 400, new JsonObject().put("message", e.getMessage()).encode());
        }
    }

    public void deleteFaults(RoutingContext rc) {
        ControlApi.json(rc, 200, faults.reset().toJson().encode());
    }
}
