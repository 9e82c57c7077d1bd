package io.sluice.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Checks, by connecting, what the files alone cannot tell: that the trust store holds the CA that signed the
 * broker's certificate, that the broker's certificate matches its host name (endpoint identification), and
 * that the broker accepts the client certificate. One TLS handshake (plain JSSE, the same material as the
 * Kafka clients) with the first bootstrap server that accepts a TCP connection; bounded by {@code timeoutMs}.
 * Blocking: call off the event loop.
 */
public final class TlsHandshakeProbe {

    /** The outcome: ok, or the config key and problem; {@code reachable=false} when no broker accepted TCP. */
    public record Result(boolean ok, boolean reachable, String key, String problem) {
        public String message() {
            return ok ? "TLS handshake accepted" : key + ": " + problem;
        }

        public TlsMaterialException toException() {
            return new TlsMaterialException(key, problem);
        }
    }

    private TlsHandshakeProbe() {}

    public static Result probe(TlsSettings s, String bootstrapServers, int timeoutMs) {
        SSLContext ctx;
        CapturingTrustManager trust;
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            List<X509Certificate> cas = TlsMaterial.trusted(s);
            tmf.init(cas == null ? null : TlsMaterial.trustStore(cas));
            trust = new CapturingTrustManager(x509(tmf.getTrustManagers()));
            KeyManagerFactory kmf = null;
            TlsMaterial.ClientKey ck = TlsMaterial.clientKey(s);
            if (ck != null) {
                char[] pw = "probe".toCharArray();
                KeyStore ks = TlsMaterial.keyStore(ck, pw);
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, pw);
            }
            ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), new TrustManager[] {trust}, null);
        } catch (GeneralSecurityException | IOException e) {
            return new Result(false, false, "kafka.tls", "cannot build the TLS context: " + e);
        }
        String lastUnreachable = null;
        for (String hostPort : bootstrapServers.split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon).trim();
            int port = Integer.parseInt(hostPort.substring(colon + 1).trim());
            Socket raw = new Socket();
            try {
                raw.connect(new InetSocketAddress(host, port), timeoutMs);
            } catch (IOException e) {
                lastUnreachable = hostPort + ": " + e.getMessage();
                closeQuietly(raw);
                continue;
            }
            return handshake(s, ctx, trust, raw, host, port, timeoutMs);
        }
        return new Result(
                false, false, "kafka.bootstrapServers", "no broker accepted a connection (" + lastUnreachable + ")");
    }

    private static Result handshake(
            TlsSettings s,
            SSLContext ctx,
            CapturingTrustManager trust,
            Socket raw,
            String host,
            int port,
            int timeoutMs) {
        String where = host + ":" + port;
        try (SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(raw, host, port, true)) {
            SSLParameters params = ssl.getSSLParameters();
            if (s.endpointIdentification()) {
                params.setEndpointIdentificationAlgorithm("HTTPS");
            }
            ssl.setSSLParameters(params);
            ssl.setSoTimeout(timeoutMs);
            ssl.startHandshake();
            // TLS 1.3: the server checks the client certificate after the client's Finished; its refusal
            // arrives as an alert on the first read. A broker waits for a request, so a timeout means accepted.
            ssl.setSoTimeout(Math.min(timeoutMs, 500));
            try {
                int b = ssl.getInputStream().read();
                if (b < 0) {
                    return rejected(s, where, "the broker closed the connection after the handshake");
                }
            } catch (SocketTimeoutException expected) {
                // accepted
            }
            return new Result(true, true, null, null);
        } catch (SSLHandshakeException e) {
            return classify(s, trust, where, e);
        } catch (SSLException e) {
            return classify(s, trust, where, e);
        } catch (IOException e) {
            return rejected(s, where, "the connection failed during the handshake: " + e.getMessage());
        }
    }

    private static Result classify(TlsSettings s, CapturingTrustManager trust, String where, SSLException e) {
        String all = messages(e);
        String lower = all.toLowerCase(Locale.ROOT);
        if (trust.failure != null
                        && trust.failure.getMessage() != null
                        && trust.failure.getMessage().toLowerCase(Locale.ROOT).contains("subject alternative name")
                || lower.contains("no subject alternative")
                || lower.contains("no name matching")) {
            return new Result(
                    false,
                    true,
                    "kafka.tls.endpointIdentification",
                    "the certificate of the broker at " + where
                            + " does not match its host name ("
                            + firstLine(trust.failure != null ? trust.failure.getMessage() : all)
                            + "); fix the broker certificate's subject alternative names or connect by a listed name");
        }
        if (trust.failure != null
                || lower.contains("pkix path")
                || lower.contains("unable to find valid certification path")) {
            String issuer = trust.brokerChain == null || trust.brokerChain.length == 0
                    ? "an unknown CA"
                    : "'"
                            + trust.brokerChain[trust.brokerChain.length - 1]
                                    .getIssuerX500Principal()
                                    .getName() + "'";
            String store = s.truststore() == null
                    ? "the JVM's default trust store (kafka.tls.truststore is not set)"
                    : "'" + s.truststore().path() + "'";
            String key = s.truststore() == null
                    ? "kafka.tls.truststore"
                    : s.truststore().configKey() + ".path";
            return new Result(
                    false,
                    true,
                    key,
                    "the broker at " + where + " presents a certificate signed by " + issuer
                            + ", which is not trusted by " + store);
        }
        if (lower.contains("certificate_required")
                || lower.contains("bad_certificate")
                || lower.contains("certificate_unknown")
                || lower.contains("unknown_ca")
                || lower.contains("certificate_expired")
                || lower.contains("access_denied")
                || lower.contains("certificate_revoked")
                || lower.contains("handshake_failure")) {
            return rejected(s, where, "the broker refused the handshake (" + firstLine(all) + ")");
        }
        return rejected(s, where, "TLS handshake failed: " + firstLine(all));
    }

    private static Result rejected(TlsSettings s, String where, String why) {
        String key = s.keystore() == null ? "kafka.tls.keystore" : s.keystore().configKey() + ".path";
        String hint = s.keystore() == null
                ? "; the broker may require a client certificate (set kafka.tls.keystore)"
                : "; is the client certificate signed by a CA the broker trusts?";
        return new Result(false, true, key, why + " at " + where + hint);
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable e = t; e != null; e = e.getCause() == e ? null : e.getCause()) {
            sb.append(e.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        String m = String.valueOf(s);
        int bar = m.indexOf(" | ");
        m = bar < 0 ? m : m.substring(0, bar);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static X509TrustManager x509(TrustManager[] tms) {
        for (TrustManager tm : tms) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("no X509TrustManager");
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Delegates, remembering the broker's chain and why it was refused (for the message). */
    private static final class CapturingTrustManager extends javax.net.ssl.X509ExtendedTrustManager {
        private final X509TrustManager delegate;
        volatile X509Certificate[] brokerChain;
        volatile CertificateException failure;

        CapturingTrustManager(X509TrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            brokerChain = chain;
            try {
                ((javax.net.ssl.X509ExtendedTrustManager) delegate).checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine)
                throws CertificateException {
            brokerChain = chain;
            try {
                ((javax.net.ssl.X509ExtendedTrustManager) delegate).checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            brokerChain = chain;
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
