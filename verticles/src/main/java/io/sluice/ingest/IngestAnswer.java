package io.sluice.ingest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The HTTP answer to a request whose events all went through {@code sluice.produce}: the overall
 * status decided from the per-event results, and the body listing each.
 *
 * <p>Overall status:
 * <ul>
 *   <li>at least one event {@code accepted} or {@code spooled} (both durable) → <b>202</b> (every event's own
 *       status is in {@code results}; {@code "status":"partial"} when some failed; the counts {@code accepted} and
 *       {@code spooled} say which);</li>
 *   <li>none accepted, and at least one failed for a reason on the server side ({@code unavailable},
 *       {@code overloaded}, {@code stopping}) → <b>503</b> with {@code Retry-After: 1};</li>
 *   <li>none accepted, none of the above, at least one {@code rate-limited} → <b>429</b> with
 *       {@code Retry-After: 1};</li>
 *   <li>every event {@code invalid} → <b>400</b>, {@code error} = the first event's reason naming its field.</li>
 * </ul>
 *
 * @param status     HTTP status
 * @param retryAfter seconds for a {@code Retry-After} header, or 0 for none
 * @param body       the JSON body
 */
public record IngestAnswer(int status, int retryAfter, JsonObject body) {

    public static IngestAnswer of(String correlationId, List<EventResult> results) {
        int accepted = 0;
        int spooled = 0;
        boolean serverSide = false;
        boolean rateLimited = false;
        EventResult firstFailure = null;
        JsonArray list = new JsonArray();
        for (EventResult r : results) {
            list.add(r.toJson());
            if (r.isSuccess()) {
                if (r.isAccepted()) {
                    accepted++;
                } else {
                    spooled++;
                }
                continue;
            }
            if (firstFailure == null) {
                firstFailure = r;
            }
            switch (r.answer()) {
                case RATE_LIMITED -> rateLimited = true;
                case OVERLOADED, UNAVAILABLE, STOPPING -> serverSide = true;
                default -> {}
            }
        }
        int failed = results.size() - accepted - spooled;
        int status;
        int retryAfter = 0;
        String overall;
        if (accepted + spooled > 0) {
            status = 202;
            overall = failed > 0 ? "partial" : spooled > 0 ? "spooled" : "accepted";
            retryAfter = rateLimited ? 1 : 0;
        } else if (serverSide) {
            status = 503;
            overall = "rejected";
            retryAfter = 1;
        } else if (rateLimited) {
            status = 429;
            overall = "rejected";
            retryAfter = 1;
        } else {
            status = 400;
            overall = "rejected";
        }
        JsonObject body = new JsonObject()
                .put("status", overall)
                .put("correlationId", correlationId)
                .put("accepted", accepted)
                .put("spooled", spooled)
                .put("failed", failed);
        if (accepted + spooled == 0 && firstFailure != null) {
            body.put("error", "event " + firstFailure.index() + ": " + firstFailure.error());
        }
        body.put("results", list);
        return new IngestAnswer(status, retryAfter, body);
    }

    /** A refusal of the whole request (nothing was sent). */
    public static IngestAnswer refused(String correlationId, int status, String field, String message) {
        JsonObject body = new JsonObject()
                .put("status", "rejected")
                .put("correlationId", correlationId)
                .put("error", message);
        if (field != null) {
            body.put("field", field);
        }
        return new IngestAnswer(status, status == 503 || status == 429 ? 1 : 0, body);
    }
}
