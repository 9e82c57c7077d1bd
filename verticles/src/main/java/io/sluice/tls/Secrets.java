package io.sluice.tls;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Redaction of secrets in anything that may be printed: config dumps, client properties, logs. */
public final class Secrets {
    public static final String MASK = "[redacted]";

    private Secrets() {}

    /** Whether a property or config key names a secret (passwords, private keys, tokens, JAAS configs). */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password")
                || k.contains("secret")
                || k.contains("token")
                || k.endsWith(".key")
                || k.contains("jaas")
                || k.contains("credential");
    }

    /** A sorted copy of {@code props} with secret values replaced by {@link #MASK}. */
    public static Map<String, String> redact(Map<String, ?> props) {
        Map<String, String> out = new TreeMap<>();
        props.forEach((k, v) -> out.put(k, v == null ? null : isSecret(k) ? MASK : String.valueOf(v)));
        return out;
    }
}
