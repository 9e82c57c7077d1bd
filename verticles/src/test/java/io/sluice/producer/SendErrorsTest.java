package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

class SendErrorsTest {
    @Test
    void transientErrorsAreRetriableAndAuthTlsAndMissingTopicsFatal() {
        assertThat(SendErrors.classify(new TimeoutException("Expiring 12 record(s)"), true))
                .isEqualTo(SendErrors.Kind.RETRIABLE);
        assertThat(SendErrors.classify(new NotLeaderOrFollowerException("x"), true))
                .isEqualTo(SendErrors.Kind.RETRIABLE);
        assertThat(SendErrors.classify(new NetworkException("x"), true)).isEqualTo(SendErrors.Kind.RETRIABLE);
        assertThat(SendErrors.classify(new IllegalStateException("producer closed"), true))
                .isEqualTo(SendErrors.Kind.RETRIABLE);
        assertThat(SendErrors.classify(new SslAuthenticationException("handshake"), false))
                .isEqualTo(SendErrors.Kind.FATAL);
        assertThat(SendErrors.classify(new SaslAuthenticationException("bad"), false))
                .isEqualTo(SendErrors.Kind.FATAL);
        assertThat(SendErrors.classify(new TopicAuthorizationException("no"), false))
                .isEqualTo(SendErrors.Kind.FATAL);
        assertThat(SendErrors.classify(new RecordTooLargeException("big"), false))
                .isEqualTo(SendErrors.Kind.INVALID);
    }

    @Test
    void aTopicMissingFromTheMetadataIsFatalOnlyWhileTheBrokerAnswersOtherSends() {
        TimeoutException missing = new TimeoutException("Topic mt-x not present in metadata after 10000 ms.");
        assertThat(SendErrors.classify(missing, true)).isEqualTo(SendErrors.Kind.FATAL);
        assertThat(SendErrors.classify(missing, false))
                .as("may be the outage itself")
                .isEqualTo(SendErrors.Kind.RETRIABLE);
        assertThat(SendErrors.classify(new UnknownTopicOrPartitionException("x"), true))
                .isEqualTo(SendErrors.Kind.FATAL);
    }
}
