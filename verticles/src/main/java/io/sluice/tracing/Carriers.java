package io.sluice.tracing;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.sluice.record.InRecord;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** How W3C trace context is read from and written to HTTP / event-bus headers and Kafka record headers. */
final class Carriers {
    private Carriers() {}

    /** HTTP request headers and event-bus message headers. */
    static final TextMapGetter<MultiMap> MULTI_MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(MultiMap carrier) {
            return carrier.names();
        }

        @Override
        public String get(MultiMap carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    static final TextMapSetter<DeliveryOptions> DELIVERY_OPTIONS = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.addHeader(key, value);
        }
    };

    /** A producer record's headers: the last value of a name counts. */
    static final TextMapGetter<Headers> KAFKA = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            return () ->
                    java.util.Arrays.stream(carrier.toArray()).map(Header::key).iterator();
        }

        @Override
        public String get(Headers carrier, String key) {
            Header h = carrier == null ? null : carrier.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };

    /** Replaces the header: a record keeps one {@code traceparent}, the producer span's. */
    static final TextMapSetter<Headers> KAFKA_SET = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.remove(key);
            carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    /** A consumed record's headers: the last value of a name counts. */
    static final TextMapGetter<List<InRecord.Header>> RECORD = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(List<InRecord.Header> carrier) {
            return carrier.stream().map(InRecord.Header::name).toList();
        }

        @Override
        public String get(List<InRecord.Header> carrier, String key) {
            if (carrier == null) {
                return null;
            }
            for (int i = carrier.size() - 1; i >= 0; i--) {
                InRecord.Header h = carrier.get(i);
                if (h.name().equals(key)) {
                    return h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    };
}
