package io.sluice.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.Cfg;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS SDK client of {@link S3TlsSource} against a real S3-compatible server (s3rver, a child process): ETags
 * from HeadObject match GetObject's and change with the content, a missing object and a server that is down are
 * {@link S3Objects.Unavailable} with a one-line reason. Credentials through the SDK's default chain (system
 * properties).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AwsS3ObjectsIT {
    @TempDir
    static Path dir;

    private static S3rver s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3rver.start(S3rver.script(), dir.resolve("data"), "certs");
        System.setProperty("aws.accessKeyId", S3rver.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3rver.SECRET_KEY);
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private static S3Settings settings(String endpoint) {
        JsonObject tls = new JsonObject()
                .put(
                        "s3",
                        new JsonObject()
                                .put("region", "us-east-1")
                                .put("endpoint", endpoint)
                                .put("pathStyle", true)
                                .put("timeoutMs", 3_000));
        return S3Settings.from(new Cfg(tls, "kafka.tls"));
    }

    @Test
    void etagsFollowTheContent() {
        S3Location loc = new S3Location("certs", "kafka/ca.pem");
        String put = s3.put("certs", loc.key(), "one".getBytes(StandardCharsets.US_ASCII));
        try (AwsS3Objects o = AwsS3Objects.create(settings(s3.endpoint().toString()))) {
            String etag = o.etag(loc);
            S3Objects.Fetched f = o.get(loc);
            assertThat(etag).isEqualTo(put).isEqualTo(f.etag());
            assertThat(new String(f.bytes(), StandardCharsets.US_ASCII)).isEqualTo("one");

            s3.put("certs", loc.key(), "two".getBytes(StandardCharsets.US_ASCII));
            assertThat(o.etag(loc)).isNotEqualTo(etag);
            assertThat(new String(o.get(loc).bytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("two");
        }
    }

    @Test
    void aMissingObjectIsNamed() {
        try (AwsS3Objects o = AwsS3Objects.create(settings(s3.endpoint().toString()))) {
            assertThatThrownBy(() -> o.get(new S3Location("certs", "nope.pem")))
                    .isInstanceOf(S3Objects.Unavailable.class)
                    .hasMessageStartingWith("GetObject s3://certs/nope.pem: no such object (");
            assertThatThrownBy(() -> o.etag(new S3Location("certs", "nope.pem")))
                    .isInstanceOf(S3Objects.Unavailable.class)
                    .hasMessageStartingWith("HeadObject s3://certs/nope.pem: no such object (");
        }
    }

    @Test
    void aServerThatIsDownIsNotReachable() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (AwsS3Objects o = AwsS3Objects.create(settings("http://127.0.0.1:" + port))) {
            assertThatThrownBy(() -> o.etag(new S3Location("certs", "kafka/ca.pem")))
                    .isInstanceOf(S3Objects.Unavailable.class)
                    .hasMessageStartingWith("HeadObject s3://certs/kafka/ca.pem: S3 not reachable (")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void s3SettingsAreReadFromTheTlsSection() {
        TlsSettings t = TlsSettings.from(
                new Cfg(
                        new JsonObject()
                                .put("enabled", true)
                                .put(
                                        "truststore",
                                        new JsonObject()
                                                .put("path", "s3://certs/kafka/ca.pem")
                                                .put("type", "PEM"))
                                .put("s3", new JsonObject().put("region", "us-east-1")),
                        "kafka.tls"),
                Map.of());
        assertThat(t.s3()).isEqualTo(new S3Settings("us-east-1", null, false, 10_000));
        assertThat(t.truststore().s3()).isEqualTo(new S3Location("certs", "kafka/ca.pem"));
    }
}
