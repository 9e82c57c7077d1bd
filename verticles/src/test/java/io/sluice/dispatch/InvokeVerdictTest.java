package io.sluice.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.record.InRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class InvokeVerdictTest {
    private static final List<InRecord> BATCH = LongStream.range(10, 20)
            .mapToObj(o -> new InRecord("t", 0, o, 0, "CREATE_TIME", null, new byte[1], List.of(), 1, 0))
            .toList();

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void noAnswerOrAnyOtherAnswerMeansDelivered() {
        assertThat(InvokeVerdict.of(null, null, BATCH).retryAll()).isFalse();
        assertThat(InvokeVerdict.of(null, json("\"ok\""), BATCH).retry()).isEmpty();
        assertThat(InvokeVerdict.of(null, json("{\"batchItemFailures\":[]}"), BATCH)
                        .retry())
                .isEmpty();
    }

    @Test
    void functionErrorRetriesTheWholeBatchWithItsMessage() {
        InvokeVerdict v = InvokeVerdict.of(
                "Unhandled", json("{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.RuntimeException\"}"), BATCH);
        assertThat(v.retryAll()).isTrue();
        assertThat(v.reason()).contains("boom").contains("Unhandled");
    }

    @Test
    void batchItemFailuresNameTheRecordsToRetryWithNumberOrStringOffsets() {
        InvokeVerdict v = InvokeVerdict.of(
                null,
                json("{\"batchItemFailures\":[{\"itemIdentifier\":{\"topic-partition\":\"t-0\",\"offset\":15}},"
                        + "{\"itemIdentifier\":{\"topic-partition\":\"t-0\",\"offset\":\"17\"}}]}"),
                BATCH);
        assertThat(v.retryAll()).isFalse();
        assertThat(v.retry())
                .containsExactlyInAnyOrder(new InvokeVerdict.Ref("t-0", 15), new InvokeVerdict.Ref("t-0", 17));
    }

    @Test
    void anIdentifierNamingNoRecordOfTheBatchFailsTheWholeBatch() {
        assertThat(InvokeVerdict.of(
                                null,
                                json(
                                        "{\"batchItemFailures\":[{\"itemIdentifier\":{\"topic-partition\":\"t-0\",\"offset\":99}}]}"),
                                BATCH)
                        .retryAll())
                .isTrue();
        assertThat(InvokeVerdict.of(
                                null,
                                json(
                                        "{\"batchItemFailures\":[{\"itemIdentifier\":{\"topic-partition\":\"x-0\",\"offset\":15}}]}"),
                                BATCH)
                        .retryAll())
                .isTrue();
        assertThat(InvokeVerdict.of(null, json("{\"batchItemFailures\":[{}]}"), BATCH)
                        .retryAll())
                .isTrue();
    }

    @Test
    void invalidRecordsAreDeadLetteredWithTheirReason() {
        InvokeVerdict v = InvokeVerdict.of(
                null,
                json("{\"batchItemFailures\":[],\"invalidRecords\":[{\"itemIdentifier\":"
                        + "{\"topic-partition\":\"t-0\",\"offset\":12},\"reason\":\"missing-field truckId\"}]}"),
                BATCH);
        assertThat(v.invalid()).containsEntry(new InvokeVerdict.Ref("t-0", 12), "missing-field truckId");
        assertThat(v.retry()).isEmpty();
    }

    @Test
    void recordsOfSeveralPartitionsAreNamedByTheirOwnTopicPartition() {
        List<InRecord> two = List.of(
                new InRecord("t", 0, 15, 0, "CREATE_TIME", null, new byte[1], List.of(), 1, 0),
                new InRecord("t", 3, 15, 0, "CREATE_TIME", null, new byte[1], List.of(), 1, 0));
        InvokeVerdict v = InvokeVerdict.of(
                null,
                json("{\"batchItemFailures\":[{\"itemIdentifier\":{\"topic-partition\":" + "\"t-3\",\"offset\":15}}]}"),
                two);
        assertThat(v.retryAll()).isFalse();
        assertThat(v.retry()).containsExactly(new InvokeVerdict.Ref("t-3", 15));
        assertThat(InvokeVerdict.of(
                                null,
                                json("{\"batchItemFailures\":[{\"itemIdentifier\":{\"topic-partition\":"
                                        + "\"t-1\",\"offset\":15}}]}"),
                                two)
                        .retryAll())
                .as("a partition the invocation did not carry")
                .isTrue();
    }

    @Test
    void backoffIsExponentialCappedAndJittered() {
        Backoff b = new Backoff(100, 5000, new SplittableRandom(1));
        assertThat(b.ceilingMs(1)).isEqualTo(100);
        assertThat(b.ceilingMs(2)).isEqualTo(200);
        assertThat(b.ceilingMs(6)).isEqualTo(3200);
        assertThat(b.ceilingMs(7)).isEqualTo(5000);
        assertThat(b.ceilingMs(80)).isEqualTo(5000);
        long distinct =
                LongStream.range(0, 50).map(i -> b.delayMs(5)).distinct().count();
        assertThat(distinct).isGreaterThan(10);
        assertThat(LongStream.range(0, 200).map(i -> b.delayMs(3))).allMatch(d -> d >= 0 && d <= 400);
    }
}
