package io.sluice.config;

/**
 * A configuration value is missing or out of range. The message is one line that names the key
 * (dotted path, e.g. {@code pipelines[0].batch.maxRecords}) and what is allowed; the launcher prints
 * it and exits non-zero.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** The dotted path of the offending key. */
    public String key() {
        return key;
    }
}
