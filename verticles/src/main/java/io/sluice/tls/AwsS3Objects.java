package io.sluice.tls;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * {@link S3Objects} with the AWS SDK v2 synchronous S3 client over the JDK's URL connection (no Netty or Apache
 * HTTP client), credentials from the default chain (environment, system properties, profile, web identity,
 * container and instance profile). Blocking: call off the event loop.
 */
public final class AwsS3Objects implements S3Objects {
    /** TLS material is small: anything larger is refused without being read. */
    static final long MAX_BYTES = 1 << 20;

    private final S3Client client;
    private final DefaultCredentialsProvider credentials;

    private AwsS3Objects(S3Client client, DefaultCredentialsProvider credentials) {
        this.client = client;
        this.credentials = credentials;
    }

    /**
     * A client for {@code s}. Throws {@link Unavailable} when it cannot be built (no region configured and none
     * found by the SDK's region chain).
     */
    public static AwsS3Objects create(S3Settings s) {
        Duration timeout = Duration.ofMillis(s.timeoutMs());
        DefaultCredentialsProvider credentials =
                DefaultCredentialsProvider.builder().build();
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(min(timeout, Duration.ofSeconds(3)))
                        .socketTimeout(timeout))
                .credentialsProvider(credentials)
                .forcePathStyle(s.pathStyle())
                .overrideConfiguration(o -> o.apiCallTimeout(timeout));
        if (s.region() != null) {
            b.region(Region.of(s.region()));
        }
        if (s.endpoint() != null) {
            b.endpointOverride(s.endpoint());
        }
        try {
            return new AwsS3Objects(b.build(), credentials);
        } catch (SdkClientException e) {
            credentials.close();
            throw new Unavailable("cannot create the S3 client (set kafka.tls.s3.region?): " + oneLine(e));
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    @Override
    public String etag(S3Location location) {
        try {
            HeadObjectResponse r =
                    client.headObject(h -> h.bucket(location.bucket()).key(location.key()));
            if (r.contentLength() != null && r.contentLength() > MAX_BYTES) {
                throw new Unavailable(location + " is " + r.contentLength() + " bytes, more than TLS material can be ("
                        + MAX_BYTES + ")");
            }
            return r.eTag();
        } catch (SdkException e) {
            throw unavailable("HeadObject", location, e);
        }
    }

    @Override
    public Fetched get(S3Location location) {
        try {
            ResponseBytes<GetObjectResponse> r =
                    client.getObjectAsBytes(g -> g.bucket(location.bucket()).key(location.key()));
            byte[] bytes = r.asByteArray();
            if (bytes.length > MAX_BYTES) {
                throw new Unavailable(
                        location + " is " + bytes.length + " bytes, more than TLS material can be (" + MAX_BYTES + ")");
            }
            return new Fetched(bytes, r.response().eTag());
        } catch (SdkException e) {
            throw unavailable("GetObject", location, e);
        }
    }

    private static Unavailable unavailable(String call, S3Location location, SdkException e) {
        if (e instanceof SdkServiceException se) {
            String what = switch (se.statusCode()) {
                case 403 -> "access denied (the role needs s3:GetObject on it)";
                case 404 -> "no such object";
                default -> "HTTP " + se.statusCode();
            };
            return new Unavailable(call + " " + location + ": " + what + " (" + oneLine(e) + ")");
        }
        return new Unavailable(call + " " + location + ": S3 not reachable (" + oneLine(e) + ")");
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }

    @Override
    public void close() {
        client.close();
        credentials.close();
    }
}
