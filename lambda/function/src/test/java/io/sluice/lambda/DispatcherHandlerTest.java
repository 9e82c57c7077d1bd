package io.sluice.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.lambda.dedupe.DedupeStore;
import io.sluice.lambda.event.InvalidEventException;
import io.sluice.lambda.route.RouteTable;
import io.sluice.lambda.target.Target;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DispatcherHandlerTest {

    private final FakeTarget sink = new FakeTarget("sink");
    private final DispatcherHandler handler = new DispatcherHandler(
            new Dispatcher(
                    RouteTable.fromJson(
                            "{\"targets\":{\"sink\":{\"type\":\"log\"}},\"default\":[\"sink\"]}", Dispatcher.MAPPER),
                    Map.<String, Target>of("sink", sink),
                    DedupeStore.none()),
            200L);

    static Context context(int remainingMs) {
        return (Context) Proxy.newProxyInstance(
                Context.class.getClassLoader(),
                new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRemainingTimeInMillis" -> remainingMs;
                    case "getAwsRequestId" -> "req-1";
                    case "getFunctionName" -> "dispatcher";
                    default -> null;
                });
    }

    @Test
    void theAwsMskExampleIsAnsweredAsOneInvalidRecord() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(
                new ByteArrayInputStream(Fixtures.bytes("events/msk-docs-example.json")), out, context(3_000));

        JsonNode response = Dispatcher.MAPPER.readTree(out.toByteArray());
        assertThat(response.get("batchItemFailures")).isEmpty();
        assertThat(response.get("invalidRecords").toString())
                .isEqualTo("[{\"itemIdentifier\":{\"topic-partition\":"
                        + "\"mytopic-0\",\"offset\":15},\"reason\":\"field 'code' is required\"}]");
        assertThat(sink.calls).isEmpty();
    }

    @Test
    @Timeout(10)
    void theLambdaDeadlineBoundsTheWaitForTargets() throws IOException {
        sink.behaviour = r -> new CompletableFuture<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long start = System.currentTimeMillis();

        handler.handleRequest(
                new ByteArrayInputStream(Fixtures.bytes("events/telemetry-batch.json")), out, context(700));

        assertThat(System.currentTimeMillis() - start).isBetween(300L, 3_000L);
        assertThat(DispatchResponse.parse(out.toByteArray(), Dispatcher.MAPPER).batchItemFailures())
                .as("every valid record goes to the default target, code 999 included")
                .containsExactly(
                        new RecordId("mt-c300-0", 15), new RecordId("mt-c300-0", 16), new RecordId("mt-c300-1", 21));
    }

    @Test
    void aPayloadThatIsNotAKafkaEventIsAFunctionError() {
        assertThatThrownBy(() -> handler.handleRequest(
                        new ByteArrayInputStream("{\"Records\":[]}".getBytes(StandardCharsets.UTF_8)),
                        new ByteArrayOutputStream(),
                        context(3_000)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("eventSource must be one of");
    }
}
