package io.sluice.lambda.event;

import java.util.List;

/** A parsed Lambda Kafka event: its source and its records in event order. */
public record KafkaEventBatch(String eventSource, String eventSourceArn, List<KafkaEventRecord> records) {

  public KafkaEventBatch {
    records = List.copyOf(records);
  }
}
