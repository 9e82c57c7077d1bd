package io.sluice.tls;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code kafka.tls}: TLS / mutual TLS for every Kafka client of the process (producer, consumers, admin
 * clients, DLQ producers). Passwords never come from the config file: each store names the environment
 * variable that holds its password ({@code passwordEnv}), resolved once here.
 * <pre>
 * "tls": {
 *   "enabled": true,
 *   "keystore":   {"path": "/etc/sluice/tls/client.p12", "type": "PKCS12", "passwordEnv": "SLUICE_TLS_KEYSTORE_PASSWORD"},
 *   "key":        {"path": "/etc/sluice/tls/client.key", "passwordEnv": "SLUICE_TLS_KEY_PASSWORD"},   // PEM only, optional
 *   "truststore": {"path": "/etc/sluice/tls/ca.pem", "type": "PEM"},                                  // optional: JVM default CAs
 *   "endpointIdentification": true, "expiryWarnDays": 30, "watchIntervalMs": 10000,
 *   "s3": {"region": "eu-west-1", "endpoint": null, "pathStyle": false, "timeoutMs": 10000}          // only with s3:// paths
 * }
 * </pre>
 * Without {@code keystore} the connection is TLS without a client certificate (server authentication only).
 * A {@code path} may be {@code s3://bucket/key} (Kafka TLS only): the object is fetched into a private local
 * file ({@link S3TlsSource}), which is what {@link Store#path()} then names.
 *
 * @param enabled                turn TLS on ({@code security.protocol=SSL})
 * @param keystore               the client certificate (chain) and, for PKCS12 or a combined PEM file, its key; or null
 * @param key                    PEM only: the PKCS#8 private key when it is not in {@code keystore.path}; or null
 * @param truststore             the CAs that sign the brokers' certificates; null = the JVM's default CAs
 * @param endpointIdentification verify the broker's host name against its certificate (https)
 * @param expiryWarnDays         warn at start (and on every rotation) when the client certificate expires within this
 * @param watchIntervalMs        how often the files are checked for changes (rotation) and the handshake re-probed; 0 = never
 * @param workDir                where a combined PEM key store is written when {@code key.path} is separate (0700)
 * @param s3                     how the {@code s3://} paths are fetched ({@code kafka.tls.s3}); null when none is
 */
public record TlsSettings(
        boolean enabled,
        Store keystore,
        Store key,
        Store truststore,
        boolean endpointIdentification,
        int expiryWarnDays,
        long watchIntervalMs,
        Path workDir,
        S3Settings s3) {

    public static final String PKCS12 = "PKCS12";
    public static final String PEM = "PEM";
    private static final Map<String, String> TYPES = Map.of(PKCS12, PKCS12, PEM, PEM);
    private static final java.util.concurrent.atomic.AtomicInteger S3_DIRS =
            new java.util.concurrent.atomic.AtomicInteger();

    /**
     * One file of TLS material.
     *
     * @param configKey   dotted config key of the object, e.g. {@code kafka.tls.keystore} (used in messages)
     * @param path        the file
     * @param type        PKCS12 or PEM (null for {@code key})
     * @param passwordEnv name of the environment variable holding the password, or null
     * @param password    its value, resolved at build time, or null; never printed
     * @param s3          where the file is fetched from when the config names {@code s3://bucket/key}, else null
     */
    public record Store(String configKey, Path path, String type, String passwordEnv, String password, S3Location s3) {
        @Override
        public String toString() {
            return "Store[" + configKey + ", path=" + path + (s3 == null ? "" : ", s3=" + s3) + ", type=" + type
                    + ", passwordEnv=" + passwordEnv + ", password=" + (password == null ? "none" : Secrets.MASK) + "]";
        }

        /** This store read from {@code p} instead (a staged copy being checked). */
        Store withPath(Path p) {
            return new Store(configKey, p, type, passwordEnv, password, s3);
        }

        char[] passwordChars() {
            return password == null ? null : password.toCharArray();
        }
    }

    public static TlsSettings disabled() {
        return new TlsSettings(false, null, null, null, true, 30, 0, null, null);
    }

    private static final Key<String> PATH = Key.string(
            "path",
            null,
            "the file; for kafka.tls also s3://bucket/key (fetched at start, polled by ETag every watchIntervalMs)");
    private static final Key<String> TYPE = Key.oneOf(
            "type",
            PKCS12,
            TYPES,
            "PKCS12 (key inside; passwordEnv required for a key store) or PEM (no store password)");
    private static final Key<String> PASSWORD_ENV = Key.string(
            "passwordEnv", null, "the environment variable that holds the password (never the password itself)");
    private static final Section STORE = Section.of("a key or trust store", PATH, TYPE, PASSWORD_ENV);
    private static final Key<Cfg> KEYSTORE = Key.object(
            "keystore",
            new Section(
                    "the certificate and its key (client certificate for mutual TLS; the server's for ingest/admin)",
                    STORE.keys()));
    private static final Key<Cfg> KEY = Key.object(
            "key",
            Section.of(
                    "PEM key stores only: the PKCS#8 private key file "
                            + "(BEGIN PRIVATE KEY or BEGIN ENCRYPTED PRIVATE KEY); passwordEnv for an encrypted key, or for a PKCS12 "
                            + "key password that differs from the store's",
                    PATH,
                    PASSWORD_ENV));
    private static final Key<Cfg> TRUSTSTORE = Key.object(
            "truststore",
            new Section(
                    "the CAs to trust (brokers' for Kafka, clients' for mutual TLS on a server); unset = the JVM's default CAs",
                    STORE.keys()));
    private static final Key<Boolean> ENABLED = Key.bool("enabled", false, "TLS on");
    private static final Key<Boolean> ENDPOINT_IDENTIFICATION =
            Key.bool("endpointIdentification", true, "check the peer's host name against its certificate (https)");
    private static final Key<Integer> EXPIRY_WARN_DAYS = Key.integer(
            "expiryWarnDays",
            30,
            0,
            3650,
            "warn at start and on rotation when the certificate expires within this many days");
    private static final Key<Long> WATCH_INTERVAL_MS = Key.longInt(
            "watchIntervalMs",
            10_000,
            0,
            86_400_000,
            "poll the TLS files for changes (rotation) and re-probe; 0 = off, else at least 100");
    /** The keys every TLS section has (Kafka's and the HTTP servers'). */
    static final java.util.List<Key<?>> KEYS = java.util.List.of(
            ENABLED, KEYSTORE, KEY, TRUSTSTORE, ENDPOINT_IDENTIFICATION, EXPIRY_WARN_DAYS, WATCH_INTERVAL_MS);
    /** {@code kafka.tls}: TLS for every Kafka client (security.protocol=SSL). */
    public static final Key<Cfg> KAFKA_TLS = Key.object(
            "tls",
            new Section(
                            "TLS for every Kafka client (producer, "
                                    + "consumers, admin, DLQ producers): security.protocol=SSL; security.protocol / ssl.* in "
                                    + "kafka.clientProperties are then refused",
                            KEYS)
                    .with(S3Settings.KEY));

    /** Reads and validates {@code kafka.tls}; passwords come from {@code env}; paths may be {@code s3://}. */
    public static TlsSettings from(Cfg c, Map<String, String> env) {
        return from(c, env, true);
    }

    /**
     * Reads and validates a TLS section; passwords come from {@code env}. With {@code s3Allowed} false (the HTTP
     * servers' TLS) an {@code s3://} path is a config error and there is no {@code s3} object.
     */
    public static TlsSettings from(Cfg c, Map<String, String> env, boolean s3Allowed) {
        boolean enabled = c.get(ENABLED);
        Path work = Path.of(
                System.getProperty("java.io.tmpdir"),
                "sluice-tls-" + ProcessHandle.current().pid());
        // fetched S3 copies: a directory per config, so two Sluice instances in one JVM never share them
        Path s3Dir = work.resolve("s3-" + S3_DIRS.incrementAndGet());
        Store keystore = store(c, KEYSTORE, enabled, env, true, s3Allowed, s3Dir);
        Store key = store(c, KEY, enabled, env, false, s3Allowed, s3Dir);
        Store truststore = store(c, TRUSTSTORE, enabled, env, true, s3Allowed, s3Dir);
        boolean endpoint = c.get(ENDPOINT_IDENTIFICATION);
        int warnDays = c.get(EXPIRY_WARN_DAYS);
        long watch = c.get(WATCH_INTERVAL_MS);
        S3Settings s3 = s3Allowed ? S3Settings.from(c) : null;
        c.done();
        if (watch > 0 && watch < 100) {
            throw new ConfigException(
                    c.key("watchIntervalMs"), "must be 0 (off) or between 100 and 86400000, got " + watch);
        }
        if (!enabled) {
            return new TlsSettings(false, null, null, null, endpoint, warnDays, watch, null, null);
        }
        if (key != null && key.path() != null && (keystore == null || !PEM.equals(keystore.type()))) {
            throw new ConfigException(
                    c.key("key.path"),
                    "is only for keystore.type PEM (a PKCS12 key store holds its key; "
                            + "set key.passwordEnv alone when the key password differs)");
        }
        boolean anyS3 = (keystore != null && keystore.s3() != null)
                || (key != null && key.s3() != null)
                || (truststore != null && truststore.s3() != null);
        return new TlsSettings(true, keystore, key, truststore, endpoint, warnDays, watch, work, anyS3 ? s3 : null);
    }

    private static Store store(
            Cfg parent,
            Key<Cfg> storeKey,
            boolean enabled,
            Map<String, String> env,
            boolean typed,
            boolean s3Allowed,
            Path s3Dir) {
        String name = storeKey.name();
        Cfg c = parent.get(storeKey); // marks it read
        if (!parent.has(name)) {
            return null;
        }
        String path = c.get(PATH);
        String type = typed ? c.get(TYPE) : null;
        String passwordEnv = c.get(PASSWORD_ENV);
        c.done();
        if (!enabled) {
            return null;
        }
        boolean keyOnlyPassword = !typed && path == null;
        if (!keyOnlyPassword && (path == null || path.isBlank())) {
            throw new ConfigException(c.key("path"), "is required (the file of " + c.path() + ")");
        }
        if (PEM.equals(type) && passwordEnv != null) {
            throw new ConfigException(
                    c.key("passwordEnv"),
                    "is not allowed for type PEM (Kafka reads PEM stores without "
                            + "a store password; an encrypted private key takes kafka.tls.key.passwordEnv)");
        }
        if ("keystore".equals(name) && PKCS12.equals(type) && passwordEnv == null) {
            throw new ConfigException(
                    c.key("passwordEnv"),
                    "is required for a PKCS12 key store (the name of the "
                            + "environment variable that holds its password)");
        }
        String password = null;
        if (passwordEnv != null) {
            if (!passwordEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new ConfigException(
                        c.key("passwordEnv"), "must be an environment variable name, got '" + passwordEnv + "'");
            }
            password = env.get(passwordEnv);
            if (password == null || password.isEmpty()) {
                throw new ConfigException(c.key("passwordEnv"), "environment variable " + passwordEnv + " is not set");
            }
        }
        S3Location s3 = null;
        Path local = path == null ? null : Path.of(path);
        if (path != null && path.regionMatches(true, 0, S3Location.SCHEME, 0, S3Location.SCHEME.length())) {
            if (!s3Allowed) {
                throw new ConfigException(
                        c.key("path"), "s3:// paths are supported for kafka.tls only, got '" + path + "'");
            }
            s3 = S3Location.parse(c.key("path"), path);
            // the fetched copy, in a private directory of this process (S3TlsSource writes it)
            local = s3Dir.resolve(name + (PKCS12.equals(type) ? ".p12" : ".pem"));
        }
        return new Store(c.path(), local, type, passwordEnv, password, s3);
    }

    /** The stores fetched from S3 (keystore, key, truststore order); empty when none is. */
    public java.util.List<Store> s3Stores() {
        java.util.List<Store> out = new java.util.ArrayList<>();
        for (Store st : new Store[] {keystore, key, truststore}) {
            if (st != null && st.s3() != null) {
                out.add(st);
            }
        }
        return out;
    }

    /** These settings reading the given stores from other files (staged copies being checked before use). */
    TlsSettings withStores(Store keystore, Store key, Store truststore) {
        return new TlsSettings(
                enabled,
                keystore,
                key,
                truststore,
                endpointIdentification,
                expiryWarnDays,
                watchIntervalMs,
                workDir,
                s3);
    }

    /** The PEM file Kafka reads as key store when key and certificates are in separate files. */
    public Path combinedPemKeystore() {
        return workDir == null ? null : workDir.resolve("client-keystore.pem");
    }

    /** Whether the key store is a PEM certificate file with the key in a separate file (see {@link TlsMaterial#materialize}). */
    public boolean separatePemKey() {
        return keystore != null && PEM.equals(keystore.type()) && key != null && key.path() != null;
    }

    /** Key password: {@code key.passwordEnv}, else (PKCS12) the store password. */
    public String keyPassword() {
        if (key != null && key.password() != null) {
            return key.password();
        }
        return keystore != null && PKCS12.equals(keystore.type()) ? keystore.password() : null;
    }

    /** The Kafka client properties for this TLS setup (empty when disabled). */
    public Map<String, String> clientProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        if (!enabled) {
            return m;
        }
        m.put("security.protocol", "SSL");
        m.put("ssl.endpoint.identification.algorithm", endpointIdentification ? "https" : "");
        if (keystore != null) {
            m.put("ssl.keystore.type", keystore.type());
            m.put("ssl.keystore.location", (separatePemKey() ? combinedPemKeystore() : keystore.path()).toString());
            if (PKCS12.equals(keystore.type())) {
                m.put("ssl.keystore.password", keystore.password());
            }
            if (keyPassword() != null) {
                m.put("ssl.key.password", keyPassword());
            }
        }
        if (truststore != null) {
            m.put("ssl.truststore.type", truststore.type());
            m.put("ssl.truststore.location", truststore.path().toString());
            if (truststore.password() != null) {
                m.put("ssl.truststore.password", truststore.password());
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return "TlsSettings[enabled=" + enabled + ", keystore=" + keystore + ", key=" + key + ", truststore="
                + truststore
                + ", endpointIdentification=" + endpointIdentification + ", expiryWarnDays=" + expiryWarnDays
                + ", watchIntervalMs=" + watchIntervalMs + (s3 == null ? "" : ", s3=" + s3) + "]";
    }
}
