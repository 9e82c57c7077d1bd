package io.sluice.tls;

/**
 * The two S3 calls the TLS material needs, blocking. {@link AwsS3Objects} is the AWS SDK one; tests may fake it.
 * Failures are {@link S3Objects.Unavailable} with a one-line reason.
 */
public interface S3Objects extends AutoCloseable {

    /** An object's bytes and the ETag they were served with. */
    record Fetched(byte[] bytes, String etag) {}

    /** The object's current ETag (HeadObject). */
    String etag(S3Location location);

    /** The object's bytes (GetObject). */
    Fetched get(S3Location location);

    @Override
    void close();

    /** S3 did not answer, or refused (missing object, access denied): the message says which, in one line. */
    final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message);
        }
    }
}
