package io.sluice.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The start-up (and rotation) checks of the TLS material, before any Kafka client exists: files present and
 * readable, passwords right, the client certificate valid now (injected clock), the private key matching the
 * certificate (a nonce signed with the key verifies with the certificate's public key), the trust store
 * holding at least one CA valid now. The first problem throws {@link TlsMaterialException} naming the key.
 * Whether the trust store holds the CA that signed the brokers can only be known by connecting: see
 * {@link TlsHandshakeProbe}. File I/O: call off the event loop.
 */
public final class TlsMaterialCheck {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_INSTANT;

    /**
     * What the checks found.
     *
     * @param clientSubject subject of the client certificate, or null without key store
     * @param notAfter      end of its validity, or null
     * @param daysToExpiry  whole days until then (negative after), or {@code Long.MAX_VALUE} without client certificate
     * @param trustedCas    trusted certificates in the trust store (0 = JVM defaults)
     * @param warnings      things to log: expiry within {@code expiryWarnDays}, expired CAs in the trust store
     * @param fingerprint   SHA-256 of the files checked (rotation baseline)
     */
    public record Report(
            String clientSubject,
            Instant notAfter,
            long daysToExpiry,
            int trustedCas,
            List<String> warnings,
            String fingerprint) {
        public Report {
            warnings = List.copyOf(warnings);
        }
    }

    private TlsMaterialCheck() {}

    public static Report check(TlsSettings s, Clock clock) {
        if (!s.enabled()) {
            return new Report(null, null, Long.MAX_VALUE, 0, List.of(), "");
        }
        String fingerprint = TlsMaterial.fingerprint(s);
        Instant now = clock.instant();
        List<String> warnings = new ArrayList<>();
        String subject = null;
        Instant notAfter = null;
        long days = Long.MAX_VALUE;
        TlsMaterial.ClientKey ck = TlsMaterial.clientKey(s);
        if (ck != null) {
            X509Certificate leaf = ck.leaf();
            subject = leaf.getSubjectX500Principal().getName();
            String certKey = s.keystore().configKey() + ".path";
            if (now.isBefore(leaf.getNotBefore().toInstant())) {
                throw new TlsMaterialException(
                        certKey,
                        "client certificate '" + subject + "' is not valid yet (valid from "
                                + DATE.format(leaf.getNotBefore().toInstant()) + ", now " + DATE.format(now) + ")");
            }
            notAfter = leaf.getNotAfter().toInstant();
            if (now.isAfter(notAfter)) {
                throw new TlsMaterialException(
                        certKey,
                        "client certificate '" + subject + "' expired on " + DATE.format(notAfter) + " (now "
                                + DATE.format(now) + ")");
            }
            if (!matches(ck.key(), leaf.getPublicKey())) {
                throw new TlsMaterialException(
                        ck.keyConfigKey(), "the private key does not match the client certificate '" + subject + "'");
            }
            days = daysToExpiry(notAfter, now);
            if (days <= s.expiryWarnDays()) {
                warnings.add("client certificate '" + subject + "' expires in " + days + " day(s), on "
                        + DATE.format(notAfter) + " (kafka.tls.expiryWarnDays=" + s.expiryWarnDays() + ")");
            }
            for (int i = 1; i < ck.chain().length; i++) {
                X509Certificate c = ck.chain()[i];
                if (now.isAfter(c.getNotAfter().toInstant())) {
                    throw new TlsMaterialException(
                            certKey,
                            "certificate " + i + " of the client chain ('"
                                    + c.getSubjectX500Principal().getName() + "') expired on "
                                    + DATE.format(c.getNotAfter().toInstant()));
                }
            }
        }
        int trusted = 0;
        List<X509Certificate> cas = TlsMaterial.trusted(s);
        if (cas != null) {
            List<X509Certificate> valid = new ArrayList<>();
            for (X509Certificate ca : cas) {
                Instant from = ca.getNotBefore().toInstant();
                Instant to = ca.getNotAfter().toInstant();
                if (now.isBefore(from) || now.isAfter(to)) {
                    warnings.add("trusted certificate '"
                            + ca.getSubjectX500Principal().getName() + "' in "
                            + s.truststore().path() + " is outside its validity (" + DATE.format(from) + " to "
                            + DATE.format(to) + ")");
                } else {
                    valid.add(ca);
                }
            }
            if (valid.isEmpty()) {
                throw new TlsMaterialException(
                        s.truststore().configKey() + ".path",
                        "no certificate in '" + s.truststore().path() + "' is valid now (" + cas.size()
                                + " expired or not yet valid)");
            }
            trusted = valid.size();
        }
        return new Report(subject, notAfter, days, trusted, warnings, fingerprint);
    }

    /** Whole days from {@code now} until {@code notAfter} (floor; negative once expired). */
    public static long daysToExpiry(Instant notAfter, Instant now) {
        return Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400L);
    }

    /** Whether {@code key} is the private half of {@code pub}: a random nonce signed with it must verify. */
    static boolean matches(PrivateKey key, PublicKey pub) {
        if (!key.getAlgorithm().equals(pub.getAlgorithm())
                && !(key.getAlgorithm().startsWith("Ed") && pub.getAlgorithm().startsWith("Ed"))) {
            return false;
        }
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            default -> null;
        };
        if (alg == null) {
            return false;
        }
        try {
            byte[] nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            Signature sign = Signature.getInstance(alg);
            sign.initSign(key);
            sign.update(nonce);
            byte[] sig = sign.sign();
            Signature verify = Signature.getInstance(alg);
            verify.initVerify(pub);
            verify.update(nonce);
            return verify.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
