package io.sluice.embedded;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An additional broker listener. The cluster allocates a free loopback port for it on every node and
 * adds it to {@code listeners}, {@code advertised.listeners} and
 * {@code listener.security.protocol.map}. Listener-specific settings (key stores, client auth, ...) go
 * into the broker properties with Kafka's {@code listener.name.<name lower-case>.} prefix, e.g.
 * {@code listener.name.ssl.ssl.client.auth=required}.
 *
 * @param name             listener name, upper-case letters, digits and underscores (e.g. {@code SSL})
 * @param securityProtocol one of {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT},
 *                         {@code SASL_SSL}
 */
public record ListenerSpec(String name, String securityProtocol) {

    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

    /** Validates and normalises the fields. */
    public ListenerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(securityProtocol, "securityProtocol");
        name = name.toUpperCase(Locale.ROOT);
        securityProtocol = securityProtocol.toUpperCase(Locale.ROOT);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid listener name: " + name);
        }
        if (name.equals(BrokerProperties.PLAINTEXT) || name.equals(BrokerProperties.CONTROLLER)) {
            throw new IllegalArgumentException("listener name is reserved by the helper: " + name);
        }
        if (!securityProtocol.matches("PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL")) {
            throw new IllegalArgumentException("unknown security protocol: " + securityProtocol);
        }
    }

    /**
     * @param name listener name, also used as security protocol ({@code SSL}, {@code SASL_SSL}, ...)
     * @return a listener whose name equals its security protocol
     */
    public static ListenerSpec of(String name) {
        return new ListenerSpec(name, name);
    }
}
