package io.sluice.locallambda.internal;

import io.sluice.locallambda.SinkFaults;
import io.sluice.locallambda.SinkRecord;
import io.sluice.locallambda.SinkStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The local downstream sink: {@code POST /sink/events} (a JSON array of routed records; 200
 * {@code {"accepted":n}}, 400 when the body is not an array of objects with a string {@code eventId}),
 * {@code GET /sink/stats}, {@code POST /sink/reset}, {@code GET|PUT|DELETE /sink/faults}.
 */
public final class SinkApi {

  private final Vertx vertx;
  private final SinkStore store;
  private final SinkFaults faults;

  public SinkApi(Vertx vertx, SinkStore store, SinkFaults faults) {
    this.vertx = vertx;
    this.store = store;
    this.faults = faults;
  }

  public void events(RoutingContext rc) {
    if (faults.outage() || (faults.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < faults.errorRate())) {
      delayed(faults.latencyMs(), () -> ControlApi.json(rc, 503,
          new JsonObject().put("message", "injected sink failure").encode()));
      return;
    }
    List<SinkRecord> records;
    try {
      records = parse(rc.body().buffer() == null ? null : rc.body().asJsonArray());
    } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
      ControlApi.json(rc, 400, new JsonObject().put("message", e.getMessage()).encode());
      return;
    }
    delayed(faults.latencyMs(), () -> {
      store.record(records, System.currentTimeMillis());
      ControlApi.json(rc, 200, new JsonObject().put("accepted", records.size()).encode());
    });
  }

  private void delayed(long ms, Runnable action) {
    if (ms <= 0) {
      action.run();
    } else {
      vertx.setTimer(ms, id -> action.run());
    }
  }

  static List<SinkRecord> parse(JsonArray array) {
    if (array == null) {
      throw new IllegalArgumentException("body must be a JSON array of routed records");
    }
    List<SinkRecord> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject o)) {
        throw new IllegalArgumentException("element " + i + " must be a routed record object");
      }
      if (!(o.getValue("eventId") instanceof String eventId)) {
        throw new IllegalArgumentException("element " + i + " must have a string eventId");
      }
      String key = o.getValue("key") instanceof String k ? k
          : o.containsKey("code") && o.containsKey("truckId") ? o.getValue("code") + ":" + o.getValue("truckId") : null;
      Long seq = o.getValue("seq") instanceof Number n ? n.longValue() : null;
      long ts = o.getValue("timestamp") instanceof Number n ? n.longValue() : -1L;
      out.add(new SinkRecord(eventId, key, seq, ts));
    }
    return out;
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
      ControlApi.json(rc, 400, new JsonObject().put("message", e.getMessage()).encode());
    }
  }

  public void deleteFaults(RoutingContext rc) {
    ControlApi.json(rc, 200, faults.reset().toJson().encode());
  }
}
