package io.sluice.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;

/**
 * The TLS state the process runs with: the client certificate in use (from the last successful check or
 * rotation) and the last handshake probe. Feeds the readiness check {@code tls} and the meters
 * {@code sluice.tls.client.cert.days.to.expiry} (gauge; absent without client certificate) and
 * {@code sluice.tls.rotations{result=ok|rejected|failed}}. Thread-safe.
 */
public final class TlsStatus {
    private final Clock clock;
    private volatile TlsMaterialCheck.Report material;
    private volatile TlsHandshakeProbe.Result probe;
    private volatile java.util.function.Supplier<String> source;
    private final Counter rotationsOk;
    private final Counter rotationsRejected;
    private final Counter rotationsFailed;

    public TlsStatus(Clock clock, MeterRegistry registry) {
        this.clock = clock;
        Gauge.builder("sluice.tls.client.cert.days.to.expiry", this, TlsStatus::daysToExpiry)
                .description("whole days until the client certificate in use expires (negative after)")
                .register(registry);
        rotationsOk = rotations(registry, "ok");
        rotationsRejected = rotations(registry, "rejected");
        rotationsFailed = rotations(registry, "failed");
    }

    private static Counter rotations(MeterRegistry registry, String result) {
        return Counter.builder("sluice.tls.rotations")
                .tag("result", result)
                .description("TLS material changes on disk: applied, rejected by the checks, failed while applying")
                .register(registry);
    }

    public void material(TlsMaterialCheck.Report r) {
        material = r;
    }

    public TlsMaterialCheck.Report material() {
        return material;
    }

    public void probe(TlsHandshakeProbe.Result r) {
        if (r != null) {
            probe = r;
        }
    }

    /** Where the material comes from, appended to the readiness detail (e.g. {@link S3TlsSource#readinessDetail()}). */
    public void source(java.util.function.Supplier<String> detail) {
        source = detail;
    }

    public void rotated(boolean ok) {
        (ok ? rotationsOk : rotationsFailed).increment();
    }

    public void rejected() {
        rotationsRejected.increment();
    }

    /** Days until the client certificate expires; NaN without one. */
    public double daysToExpiry() {
        TlsMaterialCheck.Report r = material;
        if (r == null || r.notAfter() == null) {
            return Double.NaN;
        }
        return TlsMaterialCheck.daysToExpiry(r.notAfter(), clock.instant());
    }

    /** {@code {"ok":…,"detail":…}}: down when the client certificate has expired or the broker refuses the handshake. */
    public JsonObject readiness() {
        TlsMaterialCheck.Report r = material;
        Instant now = clock.instant();
        if (r == null) {
            return check(false, "TLS material not checked yet");
        }
        if (r.notAfter() != null && now.isAfter(r.notAfter())) {
            return check(false, "client certificate '" + r.clientSubject() + "' expired on " + r.notAfter());
        }
        TlsHandshakeProbe.Result p = probe;
        if (p != null && !p.ok() && p.reachable()) {
            return check(false, p.message());
        }
        String cert = r.notAfter() == null
                ? "no client certificate"
                : "client certificate '" + r.clientSubject() + "' valid until " + r.notAfter() + " ("
                        + TlsMaterialCheck.daysToExpiry(r.notAfter(), now) + " days)";
        java.util.function.Supplier<String> src = source;
        return check(
                true,
                cert
                        + (p == null ? "" : p.ok() ? "; handshake accepted" : "; broker not reachable")
                        + (src == null ? "" : "; " + src.get()));
    }

    private static JsonObject check(boolean ok, String detail) {
        return new JsonObject().put("ok", ok).put("detail", detail);
    }
}
