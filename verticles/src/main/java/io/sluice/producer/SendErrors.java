package io.sluice.producer;

import javax.net.ssl.SSLException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Classifies a failed Kafka send (no I/O): what the producer does with the event.
 *
 * <ul>
 *   <li>{@link Kind#RETRIABLE}: timeouts, not-leader, broker unavailable, network, a closed producer (TLS
 *       rotation) and anything unknown: retried in memory by the client, then spooled when a spool is
 *       configured;</li>
 *   <li>{@link Kind#FATAL}: authentication (SASL, mTLS handshake), authorization, TLS, and a topic that does
 *       not exist while the broker answers: no retry can succeed, so the producer fails fast;</li>
 *   <li>{@link Kind#INVALID}: the record itself can never be written (too large).</li>
 * </ul>
 */
public final class SendErrors {
    /** The three classes of a failed send. */
    public enum Kind {
        RETRIABLE,
        FATAL,
        INVALID
    }

    private SendErrors() {}

    /**
     * @param err              the send's error
     * @param brokerAnswering  whether the broker acknowledged another send recently: a topic missing from the
     *                         metadata is then a missing topic (fatal), else it may be the outage itself
     */
    public static Kind classify(Throwable err, boolean brokerAnswering) {
        for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) {
                return Kind.INVALID;
            }
            if (t instanceof AuthenticationException
                    || t instanceof AuthorizationException
                    || t instanceof SSLException) {
                return Kind.FATAL;
            }
            if (t instanceof InvalidTopicException) {
                return Kind.FATAL;
            }
            if (brokerAnswering
                    && (t instanceof UnknownTopicOrPartitionException
                            || (t.getMessage() != null && t.getMessage().contains("not present in metadata")))) {
                return Kind.FATAL;
            }
        }
        return Kind.RETRIABLE;
    }
}
