package io.sluice.lambda.target;

import io.sluice.lambda.record.RoutedRecord;
import io.sluice.lambda.route.TargetSpec;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * POSTs the routed records as one JSON array ({@code Content-Type: application/json}) with the target's
 * timeout, through a shared {@link HttpClient} ({@code sendAsync}, so several targets run concurrently).
 * Any 2xx is success; anything else, a timeout or an I/O error fails the call.
 */
public final class HttpTarget implements Target {

    private final TargetSpec spec;
    private final HttpClient client;

    public HttpTarget(TargetSpec spec, HttpClient client) {
        if (spec.type() != TargetSpec.Type.HTTP) {
            throw new IllegalArgumentException("not an http target: " + spec);
        }
        this.spec = spec;
        this.client = client;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public CompletableFuture<Void> deliver(List<RoutedRecord> records) {
        return deliver(records, null);
    }

    @Override
    public CompletableFuture<Void> deliver(List<RoutedRecord> records, String traceparent) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(spec.url()).timeout(spec.timeout()).header("Content-Type", "application/json");
        if (traceparent != null) {
            b.header("traceparent", traceparent);
        }
        HttpRequest request = b.POST(HttpRequest.BodyPublishers.ofByteArray(RoutedRecordsJson.toJsonArray(records)))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error != null) {
                throw new TargetFailedException(
                        "target " + spec.name() + " (" + spec.url() + ") failed: " + error, error);
            }
            int status = response.statusCode();
            if (status < 200 || status > 299) {
                String body = response.body() == null ? "" : response.body();
                throw new TargetFailedException("target " + spec.name() + " answered HTTP " + status + ": "
                        + (body.length() > 200 ? body.substring(0, 200) + "..." : body));
            }
            return null;
        });
    }
}
