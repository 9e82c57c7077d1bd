package io.sluice.lambda.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.lambda.DispatchResponse;
import io.sluice.lambda.Dispatcher;
import io.sluice.lambda.RecordId;
import io.sluice.lambda.route.RouteTable;
import io.sluice.lambda.target.LogTarget;
import io.sluice.lambda.target.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

/**
 * Claims slower than the invocation's time left: the dispatcher must answer before the deadline, reporting the
 * unclaimed records failed (retried), instead of waiting for the store past the function's timeout.
 */
class SlowStoreDeadlineTest {

    /** A DynamoDB whose every PutItem takes 1.5 s. */
    private static final class SlowDynamoDb implements DynamoDbClient {
        final AtomicInteger puts = new AtomicInteger();

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            puts.incrementAndGet();
            try {
                Thread.sleep(1_500); // a saturated store (a worker thread of the store's pool)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return PutItemResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {}
    }

    @Test
    @Timeout(30)
    void claimsThatOutlastHalfTheTimeLeftReportTheirRecordsFailedInTime() {
        SlowDynamoDb slow = new SlowDynamoDb();
        DynamoDbDedupeStore store = new DynamoDbDedupeStore(slow, "t", 3_600, 1, Duration.ofSeconds(5));
        RouteTable routes = RouteTable.fromJson(
                "{\"targets\":{\"log\":{\"type\":\"log\"}},\"default\":[\"log\"]}", Dispatcher.MAPPER);
        Dispatcher d =
                new Dispatcher(routes, Map.<String, Target>of("log", new LogTarget("log")), store, false, 60_000);
        long start = System.currentTimeMillis();

        DispatchResponse r = d.dispatch(event(6), Set.of(), start + 3_000);

        long took = System.currentTimeMillis() - start;
        assertThat(took)
                .as("answered before the 3 s deadline (took %d ms)", took)
                .isLessThan(3_000);
        assertThat(r.batchItemFailures())
                .as("records whose claim did not come back in time")
                .contains(new RecordId("t-0", 5));
        store.close();
    }

    private static byte[] event(int n) {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String value = "{\"eventId\":\"e-" + i + "\",\"code\":301,\"truckId\":\"T-" + i
                    + "\",\"timestamp\":1700000000000}";
            records.append(i == 0 ? "" : ",")
                    .append("{\"topic\":\"t\",\"partition\":0,\"offset\":")
                    .append(i)
                    .append(",\"timestamp\":1,\"timestampType\":\"CREATE_TIME\",\"key\":\"")
                    .append(Base64.getEncoder().encodeToString(("k" + i).getBytes(StandardCharsets.UTF_8)))
                    .append("\",\"value\":\"")
                    .append(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)))
                    .append("\",\"headers\":[]}");
        }
        return ("{\"eventSource\":\"SelfManagedKafka\",\"bootstrapServers\":\"b:9092\",\"records\":{\"t-0\":[" + records
                        + "]}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
