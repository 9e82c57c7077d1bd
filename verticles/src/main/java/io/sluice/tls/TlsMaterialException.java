package io.sluice.tls;

/**
 * TLS material (key store, private key, trust store) is missing, unreadable, locked with another password,
 * outside its validity period, inconsistent, or refused by the broker. The message is one line:
 * {@code <config key>: <problem>}; the launcher prints {@code sluice: invalid TLS material: <message>} and
 * exits 2.
 */
public final class TlsMaterialException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public TlsMaterialException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** The dotted config key the problem is about, e.g. {@code kafka.tls.keystore.path}. */
    public String key() {
        return key;
    }
}
