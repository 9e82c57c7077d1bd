package io.sluice.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Loads the TLS material of {@link TlsSettings} with the JDK APIs (PKCS12 {@link KeyStore}, PEM certificates
 * and PKCS#8 keys, encrypted or not), naming the config key in every failure ({@link TlsMaterialException}).
 * File I/O: call off the event loop.
 */
public final class TlsMaterial {

    /** The client's private key and certificate chain (leaf first). */
    public record ClientKey(PrivateKey key, X509Certificate[] chain, String keyConfigKey) {
        public X509Certificate leaf() {
            return chain[0];
        }
    }

    private TlsMaterial() {}

    /** The client key and chain, or null when no key store is configured. */
    public static ClientKey clientKey(TlsSettings s) {
        TlsSettings.Store ks = s.keystore();
        if (ks == null) {
            return null;
        }
        byte[] bytes = read(ks);
        if (TlsSettings.PKCS12.equals(ks.type())) {
            KeyStore store = pkcs12(ks, bytes);
            String keyKey = s.key() != null && s.key().password() != null
                    ? s.key().configKey() + ".passwordEnv"
                    : ks.configKey() + ".passwordEnv";
            try {
                for (String alias : Collections.list(store.aliases())) {
                    if (store.isKeyEntry(alias)) {
                        PrivateKey key =
                                (PrivateKey) store.getKey(alias, s.keyPassword().toCharArray());
                        Certificate[] chain = store.getCertificateChain(alias);
                        if (chain == null || chain.length == 0) {
                            throw new TlsMaterialException(
                                    ks.configKey() + ".path",
                                    "key entry '" + alias + "' of '" + ks.path() + "' has no certificate");
                        }
                        return new ClientKey(key, x509(chain), ks.configKey() + ".path");
                    }
                }
            } catch (UnrecoverableKeyException e) {
                throw new TlsMaterialException(keyKey, "wrong key password for '" + ks.path() + "'");
            } catch (GeneralSecurityException e) {
                throw new TlsMaterialException(
                        ks.configKey() + ".path", "cannot read the key of '" + ks.path() + "': " + e.getMessage());
            }
            throw new TlsMaterialException(
                    ks.configKey() + ".path", "'" + ks.path() + "' contains no private key entry");
        }
        // PEM: certificates in keystore.path, the key there too or in key.path
        String text = new String(bytes, StandardCharsets.US_ASCII);
        List<X509Certificate> certs = certificates(ks, text);
        if (certs.isEmpty()) {
            throw new TlsMaterialException(ks.configKey() + ".path", "'" + ks.path() + "' contains no PEM certificate");
        }
        TlsSettings.Store keyStore = s.separatePemKey() ? s.key() : ks;
        String keyText = s.separatePemKey() ? new String(read(keyStore), StandardCharsets.US_ASCII) : text;
        PrivateKey key = pemKey(keyStore, keyText, s.keyPassword());
        return new ClientKey(key, certs.toArray(new X509Certificate[0]), keyStore.configKey() + ".path");
    }

    /** The trusted certificates of the trust store, or null when none is configured (JVM default CAs). */
    public static List<X509Certificate> trusted(TlsSettings s) {
        TlsSettings.Store ts = s.truststore();
        if (ts == null) {
            return null;
        }
        byte[] bytes = read(ts);
        List<X509Certificate> out = new ArrayList<>();
        if (TlsSettings.PKCS12.equals(ts.type())) {
            KeyStore store = pkcs12(ts, bytes);
            try {
                for (String alias : Collections.list(store.aliases())) {
                    if (store.isCertificateEntry(alias) && store.getCertificate(alias) instanceof X509Certificate c) {
                        out.add(c);
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new TlsMaterialException(
                        ts.configKey() + ".path", "cannot read '" + ts.path() + "': " + e.getMessage());
            }
        } else {
            out.addAll(certificates(ts, new String(bytes, StandardCharsets.US_ASCII)));
        }
        if (out.isEmpty()) {
            throw new TlsMaterialException(
                    ts.configKey() + ".path", "'" + ts.path() + "' contains no trusted certificate");
        }
        return out;
    }

    /** An in-memory key store holding the client key (password {@code pw}), for JSSE key managers. */
    public static KeyStore keyStore(ClientKey ck, char[] pw) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", ck.key(), pw, ck.chain());
        return ks;
    }

    /** An in-memory trust store of {@code certs}, for JSSE trust managers. */
    public static KeyStore trustStore(List<X509Certificate> certs) throws GeneralSecurityException, IOException {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        for (int i = 0; i < certs.size(); i++) {
            ts.setCertificateEntry("ca-" + i, certs.get(i));
        }
        return ts;
    }

    /**
     * When the PEM key is in its own file, writes key + chain into the one file Kafka reads
     * ({@link TlsSettings#combinedPemKeystore()}, owner-only), atomically. No-op otherwise.
     */
    public static void materialize(TlsSettings s) {
        if (!s.enabled() || !s.separatePemKey()) {
            return;
        }
        Path target = s.combinedPemKeystore();
        try {
            Files.createDirectories(target.getParent());
            trySetPerms(target.getParent(), "rwx------");
            StringBuilder sb =
                    new StringBuilder(new String(read(s.key()), StandardCharsets.US_ASCII).trim()).append('\n');
            sb.append(new String(read(s.keystore()), StandardCharsets.US_ASCII).trim())
                    .append('\n');
            Path tmp = Files.createTempFile(target.getParent(), "keystore", ".tmp");
            trySetPerms(tmp, "rw-------");
            Files.writeString(tmp, sb, StandardCharsets.US_ASCII);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            target.toFile().deleteOnExit();
            target.getParent().toFile().deleteOnExit();
        } catch (IOException e) {
            throw new TlsMaterialException(
                    s.key().configKey() + ".path", "cannot write the combined PEM key store " + target + ": " + e);
        }
    }

    /** SHA-256 over the configured files' contents (rotation detection); missing files hash as absent. */
    public static String fingerprint(TlsSettings s) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (TlsSettings.Store st : new TlsSettings.Store[] {s.keystore(), s.key(), s.truststore()}) {
                if (st == null || st.path() == null) {
                    md.update((byte) 0);
                    continue;
                }
                try {
                    md.update(Files.readAllBytes(st.path()));
                } catch (IOException e) {
                    md.update("absent".getBytes(StandardCharsets.US_ASCII));
                }
                md.update((byte) 1);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] read(TlsSettings.Store st) {
        String key = st.configKey() + ".path";
        Path p = st.path();
        if (!Files.exists(p)) {
            throw new TlsMaterialException(key, "file '" + p + "' does not exist");
        }
        if (!Files.isRegularFile(p)) {
            throw new TlsMaterialException(key, "'" + p + "' is not a regular file");
        }
        try {
            return Files.readAllBytes(p);
        } catch (AccessDeniedException e) {
            throw new TlsMaterialException(key, "file '" + p + "' is not readable (permission denied)");
        } catch (NoSuchFileException e) {
            throw new TlsMaterialException(key, "file '" + p + "' does not exist");
        } catch (IOException e) {
            throw new TlsMaterialException(key, "file '" + p + "' cannot be read: " + e);
        }
    }

    private static KeyStore pkcs12(TlsSettings.Store st, byte[] bytes) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(bytes), st.passwordChars());
            return ks;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password")) {
                throw new TlsMaterialException(
                        st.configKey() + ".passwordEnv",
                        st.passwordEnv() == null
                                ? "'" + st.path() + "' needs a password (set passwordEnv)"
                                : "wrong password for '" + st.path() + "' (environment variable " + st.passwordEnv()
                                        + ")");
            }
            throw new TlsMaterialException(
                    st.configKey() + ".path", "'" + st.path() + "' is not a PKCS12 store: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException(
                    st.configKey() + ".path", "'" + st.path() + "' cannot be loaded: " + e.getMessage());
        }
    }

    private static List<X509Certificate> certificates(TlsSettings.Store st, String text) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Pem.Block b : Pem.read(text)) {
                if (b.type().equals("CERTIFICATE")) {
                    try (InputStream in = new ByteArrayInputStream(b.der())) {
                        out.add((X509Certificate) cf.generateCertificate(in));
                    }
                }
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsMaterialException(
                    st.configKey() + ".path", "'" + st.path() + "' holds an unreadable certificate: " + e.getMessage());
        }
        return out;
    }

    private static PrivateKey pemKey(TlsSettings.Store st, String text, String password) {
        String pathKey = st.configKey() + ".path";
        for (Pem.Block b : Pem.read(text)) {
            switch (b.type()) {
                case "PRIVATE KEY":
                    return pkcs8(new PKCS8EncodedKeySpec(b.der()), pathKey, st);
                case "ENCRYPTED PRIVATE KEY":
                    if (password == null) {
                        throw new TlsMaterialException(
                                keyPasswordKey(st),
                                "the private key in '" + st.path() + "' is encrypted: set kafka.tls.key.passwordEnv");
                    }
                    return pkcs8(decrypt(b.der(), password, st), pathKey, st);
                case "RSA PRIVATE KEY", "EC PRIVATE KEY":
                    throw new TlsMaterialException(
                            pathKey,
                            "the private key in '" + st.path() + "' is " + b.type()
                                    + " (PKCS#1/SEC1); Kafka needs PKCS#8 ('BEGIN PRIVATE KEY'): openssl pkcs8 -topk8 converts it");
                default:
                    break;
            }
        }
        throw new TlsMaterialException(pathKey, "'" + st.path() + "' contains no PEM private key");
    }

    private static PKCS8EncodedKeySpec decrypt(byte[] der, String password, TlsSettings.Store st) {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            String alg = info.getAlgName();
            if (alg.equals("PBES2") || alg.equals("1.2.840.113549.1.5.13")) {
                alg = info.getAlgParameters().toString(); // e.g. PBEWithHmacSHA256AndAES_256
            }
            SecretKeyFactory f = SecretKeyFactory.getInstance(alg);
            Cipher cipher = Cipher.getInstance(alg);
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    f.generateSecret(new PBEKeySpec(password.toCharArray())),
                    info.getAlgParameters());
            return info.getKeySpec(cipher);
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsMaterialException(
                    keyPasswordKey(st),
                    "wrong password for the private key in '" + st.path() + "' (or an unsupported encryption: "
                            + e.getClass().getSimpleName() + ")");
        }
    }

    private static PrivateKey pkcs8(PKCS8EncodedKeySpec spec, String pathKey, TlsSettings.Store st) {
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448", "DSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException ignored) {
                // next algorithm
            }
        }
        throw new TlsMaterialException(
                pathKey, "the private key in '" + st.path() + "' is not an RSA, EC, EdDSA or DSA PKCS#8 key");
    }

    /** PEM key passwords always come from {@code <prefix>.key.passwordEnv}. */
    private static String keyPasswordKey(TlsSettings.Store st) {
        String k = st.configKey();
        return k.substring(0, k.lastIndexOf('.') + 1) + "key.passwordEnv";
    }

    private static X509Certificate[] x509(Certificate[] chain) {
        X509Certificate[] out = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            out[i] = (X509Certificate) chain[i];
        }
        return out;
    }

    private static void trySetPerms(Path p, String perms) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system
        }
    }
}
