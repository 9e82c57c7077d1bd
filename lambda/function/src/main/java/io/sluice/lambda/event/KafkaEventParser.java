package io.sluice.lambda.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the AWS Lambda Kafka event (what an MSK or self-managed Kafka event source mapping sends, and what
 * Sluice sends): {@code eventSource}, {@code eventSourceArn}, {@code records} keyed {@code "<topic>-<partition>"}.
 * Offsets, partitions and timestamps are accepted as JSON numbers or numeric strings; {@code timestampType} is
 * given by its AWS name ({@link #timestampType(String)}).
 */
public final class KafkaEventParser {

  /** Event sources this function accepts. */
  public static final Set<String> EVENT_SOURCES = Set.of("aws:kafka", "SelfManagedKafka");

  private static final Map<String, String> KAFKA_TIMESTAMP_NAMES = Map.of(
      "CreateTime", "CREATE_TIME", "LogAppendTime", "LOG_APPEND_TIME", "NoTimestampType", "NO_TIMESTAMP_TYPE");

  private final ObjectMapper mapper;

  public KafkaEventParser(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public KafkaEventBatch parse(byte[] payload) {
    JsonNode root;
    try {
      root = mapper.readTree(payload);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException("payload is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InvalidEventException("payload could not be read: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidEventException("payload must be a JSON object (a Lambda Kafka event)");
    }
    String source = textOrNull(root.get("eventSource"));
    if (source == null || !EVENT_SOURCES.contains(source)) {
      throw new InvalidEventException("eventSource must be one of " + EVENT_SOURCES + " but was " + source);
    }
    JsonNode records = root.get("records");
    List<KafkaEventRecord> out = new ArrayList<>();
    if (records != null && !records.isNull()) {
      if (!records.isObject()) {
        throw new InvalidEventException("records must be an object keyed \"<topic>-<partition>\"");
      }
      Iterator<Map.Entry<String, JsonNode>> it = records.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> group = it.next();
        if (!group.getValue().isArray()) {
          throw new InvalidEventException("records[\"" + group.getKey() + "\"] must be an array");
        }
        int i = 0;
        for (JsonNode r : group.getValue()) {
          out.add(parseRecord(group.getKey(), i++, r));
        }
      }
    }
    JsonNode attempt = root.get(KafkaEventBatch.DELIVERY_ATTEMPT_FIELD);
    int deliveryAttempt = attempt != null && attempt.isIntegralNumber() && attempt.intValue() > 1 ? attempt.intValue() : 1;
    return new KafkaEventBatch(source, textOrNull(root.get("eventSourceArn")), out, deliveryAttempt);
  }

  private static KafkaEventRecord parseRecord(String group, int index, JsonNode r) {
    String where = "records[\"" + group + "\"][" + index + "]";
    if (!r.isObject()) {
      throw new InvalidEventException(where + " must be an object");
    }
    String topic = textOrNull(r.get("topic"));
    if (topic == null || topic.isEmpty()) {
      throw new InvalidEventException(where + ".topic must be a non-empty string");
    }
    long partition = requireLong(r.get("partition"), where + ".partition");
    if (partition < 0 || partition > Integer.MAX_VALUE) {
      throw new InvalidEventException(where + ".partition must be in 0.." + Integer.MAX_VALUE);
    }
    long offset = requireLong(r.get("offset"), where + ".offset");
    JsonNode ts = r.get("timestamp");
    long timestamp = ts == null || ts.isNull() ? -1L : requireLong(ts, where + ".timestamp");
    return new KafkaEventRecord(
        topic,
        (int) partition,
        offset,
        timestamp,
        timestampType(textOrNull(r.get("timestampType"))),
        textOrNull(r.get("key")),
        textOrNull(r.get("value")),
        r.get("headers"));
  }

  /**
   * A record's {@code timestampType} by its AWS name: {@code CREATE_TIME}, {@code LOG_APPEND_TIME} and
   * {@code NO_TIMESTAMP_TYPE} come through as they are; Kafka's display names ({@code CreateTime},
   * {@code LogAppendTime}, {@code NoTimestampType}, what Sluice sent before it used the AWS names) become the
   * AWS names; anything else, or null, is kept as given (the field is informational, never a reason to reject).
   */
  public static String timestampType(String raw) {
    return raw == null ? null : KAFKA_TIMESTAMP_NAMES.getOrDefault(raw, raw);
  }

  /** Accepts a JSON integer or a string holding one (AWS examples use both for offsets). */
  static long requireLong(JsonNode node, String field) {
    if (node != null && node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node != null && node.isTextual()) {
      try {
        return Long.parseLong(node.textValue().trim());
      } catch (NumberFormatException e) {
        throw new InvalidEventException(field + " must be an integer (number or numeric string) but was \""
            + node.textValue() + "\"");
      }
    }
    throw new InvalidEventException(field + " must be an integer (number or numeric string) but was " + node);
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.isTextual() ? node.textValue() : node.toString();
  }
}
