package io.sluice.pipeline;

import io.sluice.consumer.EndOffsets;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;

/**
 * Makes the clients of one pipeline incarnation: each (re)start gets new ones, closed at its stop. The real
 * ones are {@link KafkaPipelineClients}; tests pass a MockConsumer, a MockProducer and a fake Lambda client.
 * Every method may block (DNS, key stores): the pipeline calls them off the event loop.
 */
public interface PipelineClients {
    /** The Kafka consumer; called on the consumer's own thread. */
    Consumer<byte[], byte[]> consumer();

    LambdaAsyncClient lambda();

    /** The DLQ producer (acks=all, idempotent). */
    Producer<byte[], byte[]> dlqProducer();

    /** Where lag reads end offsets, or null for the consumer's local view only. */
    EndOffsets endOffsets();

    /** The {@code bootstrapServers} field of the Lambda event. */
    String bootstrapServers();
}
