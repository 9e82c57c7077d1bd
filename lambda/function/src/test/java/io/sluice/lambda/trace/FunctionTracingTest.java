package io.sluice.lambda.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FunctionTracingTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TP = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    /** A Kafka-event header list as an event source mapping writes it: {@code [{"name":[bytes...]}]}. */
    static JsonNode headers(String name, String value) throws Exception {
        StringBuilder b = new StringBuilder("[{\"correlation-id\":[99,49]},{\"" + name + "\":[");
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            b.append(i == 0 ? "" : ",").append(bytes[i]);
        }
        return MAPPER.readTree(b.append("]}]").toString());
    }

    @Test
    void aRecordsTraceparentIsReadFromItsHeaderBytes() throws Exception {
        assertThat(FunctionTracing.header(headers("traceparent", TP), "traceparent"))
                .isEqualTo(TP);
        assertThat(FunctionTracing.traceId(headers("traceparent", TP))).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(FunctionTracing.header(headers("other", TP), "traceparent")).isNull();
        assertThat(FunctionTracing.header(MAPPER.readTree("[{\"traceparent\":[\"x\"]}]"), "traceparent"))
                .isNull();
        assertThat(FunctionTracing.header(null, "traceparent")).isNull();
    }

    @Test
    void offPassesTheFirstRecordsTraceparentToTheTargetUnchanged() throws Exception {
        List<String> sent = new ArrayList<>();
        CompletableFuture<Void> call = FunctionTracing.OFF.call(
                "sink", List.of(headers("traceparent", TP), headers("traceparent", TP.replace('b', 'c'))), tp -> {
                    sent.add(tp);
                    return CompletableFuture.completedFuture(null);
                });
        assertThat(call).isCompleted();
        assertThat(sent).containsExactly(TP);
        FunctionTracing.OFF.call("sink", List.of(headers("other", "x")), tp -> {
            sent.add(tp);
            return CompletableFuture.completedFuture(null);
        });
        assertThat(sent).containsExactly(TP, null);
    }
}
