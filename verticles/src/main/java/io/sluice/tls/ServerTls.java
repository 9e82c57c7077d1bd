package io.sluice.tls;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyStoreOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * TLS for an HTTP server ({@code ingest.tls}, {@code admin.tls}), with the same material, checks and rotation
 * as the Kafka clients' TLS ({@link TlsSettings}, {@link TlsMaterialCheck}, {@link TlsWatcher}):
 * <pre>{@code
 * "tls": {
 *   "enabled": true,
 *   "keystore":   {"path": "/etc/sluice/tls/server.p12", "type": "PKCS12", "passwordEnv": "SLUICE_INGEST_KEYSTORE_PASSWORD"},
 *   "key":        {"path": "/etc/sluice/tls/server.key"},              // PEM only, when the key is in its own file
 *   "truststore": {"path": "/etc/sluice/tls/clients-ca.pem", "type": "PEM"}, // the CAs of client certificates
 *   "clientAuth": "required",                                         // none (default) | required (mutual TLS)
 *   "expiryWarnDays": 30, "watchIntervalMs": 30000                     // rotation: files re-checked, new material applied
 * }
 * }</pre>
 * With TLS on, the server speaks only TLS: a plain HTTP request on the port fails the handshake.
 *
 * @param material           the server certificate (key store) and, for mutual TLS, the client CAs (trust store)
 * @param clientAuthRequired mutual TLS: a client must present a certificate signed by a trusted CA
 */
public record ServerTls(TlsSettings material, boolean clientAuthRequired) {

    public static ServerTls disabled() {
        return new ServerTls(TlsSettings.disabled(), false);
    }

    public boolean enabled() {
        return material.enabled();
    }

    private static final Key<String> CLIENT_AUTH_KEY = Key.oneOf(
            "clientAuth",
            "none",
            java.util.Map.of("none", "none", "required", "required"),
            "required: mutual TLS, a client must present a certificate signed by a CA of the trust store");
    /** {@code <server>.tls} of the HTTP servers (ingest, admin). */
    public static final Key<Cfg> KEY = Key.object(
            "tls",
            new Section(
                            "TLS for this HTTP server (then it speaks only "
                                    + "TLS); key and trust stores as in kafka.tls, files only",
                            TlsSettings.KEYS)
                    .with(CLIENT_AUTH_KEY));

    /** Reads {@code <parent>.tls}; passwords come from {@code env}. */
    public static ServerTls from(Cfg parent, Map<String, String> env) {
        Cfg c = parent.get(KEY);
        if (!parent.has("tls")) {
            return disabled();
        }
        String clientAuth = c.get(CLIENT_AUTH_KEY);
        TlsSettings s = TlsSettings.from(c, env, false);
        if (!s.enabled()) {
            return disabled();
        }
        if (s.keystore() == null) {
            throw new ConfigException(c.key("keystore"), "is required: the server certificate and its key");
        }
        boolean required = clientAuth.equals("required");
        if (required && s.truststore() == null) {
            throw new ConfigException(
                    c.key("truststore"),
                    "is required with clientAuth required (the CAs that sign " + "client certificates)");
        }
        return new ServerTls(s, required);
    }

    /**
     * Blocking (file I/O): runs the start-up checks ({@link TlsMaterialCheck}, throws {@link TlsMaterialException}
     * naming the key) and builds the Vert.x SSL options from the material.
     */
    public ServerSSLOptions sslOptions(Clock clock) {
        TlsMaterialCheck.check(material, clock);
        ServerSSLOptions o =
                new ServerSSLOptions().setClientAuth(clientAuthRequired ? ClientAuth.REQUIRED : ClientAuth.NONE);
        char[] pw = "sluice-in-memory".toCharArray();
        try {
            o.setKeyCertOptions(new KeyStoreOptions()
                    .setType("PKCS12")
                    .setPassword(new String(pw))
                    .setValue(bytes(TlsMaterial.keyStore(TlsMaterial.clientKey(material), pw), pw)));
            List<java.security.cert.X509Certificate> cas = TlsMaterial.trusted(material);
            if (cas != null) {
                o.setTrustOptions(new KeyStoreOptions()
                        .setType("PKCS12")
                        .setPassword(new String(pw))
                        .setValue(bytes(TlsMaterial.trustStore(cas), pw)));
            }
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsMaterialException(
                    material.keystore().configKey() + ".path", "cannot build the server key store: " + e);
        }
        return o;
    }

    /** Turns TLS on in {@code o} with {@code ssl} (from {@link #sslOptions}). */
    public static HttpServerOptions apply(HttpServerOptions o, ServerSSLOptions ssl) {
        o.setSsl(true).setClientAuth(ssl.getClientAuth()).setKeyCertOptions(ssl.getKeyCertOptions());
        if (ssl.getTrustOptions() != null) {
            o.setTrustOptions(ssl.getTrustOptions());
        }
        return o;
    }

    private static Buffer bytes(KeyStore ks, char[] pw) throws GeneralSecurityException, java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, pw);
        return Buffer.buffer(out.toByteArray());
    }
}
