package io.sluice.tls;

import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for tests (BouncyCastle): CAs, broker and client certificates (EC P-256, SHA256withECDSA),
 * written as PKCS12 stores or PEM files. Broker certificates name {@code localhost} and {@code 127.0.0.1}.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key pair with its certificate and chain (leaf first, CA last). */
    public record Issued(KeyPair keys, X509Certificate cert, X509Certificate[] chain) {
        public PrivateKey key() {
            return keys.getPrivate();
        }
    }

    private TestPki() {}

    public static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA valid from a day ago for a year. */
    public static Issued ca(String cn) {
        return ca(cn, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)));
    }

    public static Issued ca(String cn, Instant from, Instant to) {
        try {
            KeyPair kp = keyPair();
            X500Principal name = new X500Principal("CN=" + cn);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                            name, serial(), Date.from(from), Date.from(to), name, kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = sign(b, kp.getPrivate());
            return new Issued(kp, cert, new X509Certificate[] {cert});
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A leaf (server and client auth) signed by {@code ca}, valid from a day ago for {@code days} days. */
    public static Issued leaf(Issued ca, String cn, long days) {
        return leaf(
                ca, cn, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(days)));
    }

    public static Issued leaf(Issued ca, String cn, Instant from, Instant to) {
        try {
            KeyPair kp = keyPair();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                            ca.cert(),
                            serial(),
                            Date.from(from),
                            Date.from(to),
                            new X500Principal("CN=" + cn),
                            kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(
                            Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                    }))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                    }))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.cert()))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = sign(b, ca.key());
            X509Certificate[] chain = new X509Certificate[ca.chain().length + 1];
            chain[0] = cert;
            System.arraycopy(ca.chain(), 0, chain, 1, ca.chain().length);
            return new Issued(kp, cert, chain);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS12 key store holding {@code entry} (key and chain), store and key password {@code password}. */
    public static Path keystore(Path file, Issued entry, String password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", entry.key(), password.toCharArray(), entry.chain());
            return store(file, ks, password);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS12 trust store of {@code cas}. */
    public static Path truststore(Path file, String password, X509Certificate... cas) {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            for (int i = 0; i < cas.length; i++) {
                ts.setCertificateEntry("ca-" + i, cas[i]);
            }
            return store(file, ts, password);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM certificates, in order. */
    public static Path pemCertificates(Path file, X509Certificate... certs) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            sb.append(pem(c));
        }
        return write(file, sb.toString());
    }

    /** A PKCS#8 PEM private key, encrypted (PBES2, AES-256-CBC) when {@code password} is not null. */
    public static Path pemKey(Path file, PrivateKey key, String password) {
        return write(file, pemKeyText(key, password));
    }

    public static String pemKeyText(PrivateKey key, String password) {
        try {
            OutputEncryptor enc = password == null
                    ? null
                    : new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                            .setPRF(PKCS8Generator.PRF_HMACSHA256)
                            .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                            .setPassword(password.toCharArray())
                            .build();
            return pem(new JcaPKCS8Generator(key, enc));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object o) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return sw.toString();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    /** Written to a temporary file and moved into place atomically (what a rotation does). */
    private static Path store(Path file, KeyStore ks, String password) throws Exception {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tmp", ".p12");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, password.toCharArray());
        }
        return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path write(Path file, String text) {
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tmp", ".pem");
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
