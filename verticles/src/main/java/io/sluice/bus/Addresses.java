package io.sluice.bus;

/**
 * Every event-bus address Sluice uses, in one place. Addresses are lower-case and dotted.
 *
 * <table>
 *   <caption>Addresses and bodies</caption>
 *   <tr><th>address</th><th>pattern</th><th>body</th><th>reply</th></tr>
 *   <tr><td>{@code sluice.produce}</td><td>request/reply</td>
 *       <td>a JSON object (the event), or a Buffer holding its JSON; optional header {@code correlation-id}</td>
 *       <td>{@code {"status":"accepted","topic","partition","offset"}}; or a failure with code
 *       400 ({@code invalid: <reason> ...}), 429 ({@code rate-limited}), 503 ({@code overloaded} /
 *       {@code unavailable} / {@code stopping})</td></tr>
 *   <tr><td>{@code sluice.produce.batch}</td><td>request/reply (remote: {@code io.sluice.producer.WireCodecs})</td>
 *       <td>{@code ProduceBatch}: a list of events, each as for {@code sluice.produce} (handed over, not copied);
 *       optional headers {@code correlation-id} and {@code sluice-source}, applying to every event</td>
 *       <td>{@code ProduceBatchReply}: one {@code ProduceResult} per event, in order ({@code accepted} with
 *       topic/partition/offset, or the answer class and the message a single request would fail with); the whole
 *       request fails (400) only when the body is not a {@code ProduceBatch}</td></tr>
 *   <tr><td>{@code sluice.producer.rate}</td><td>request/reply (control)</td>
 *       <td>empty (read) or {@code {"messagesPerSecond":…, "bytesPerSecond":…}} (change)</td>
 *       <td>the effective rate</td></tr>
 *   <tr><td>{@code sluice.<pipeline>.batch.records}</td><td>send, local</td><td>{@code RecordChunk}</td><td>none</td></tr>
 *   <tr><td>{@code sluice.<pipeline>.batch.revoke}</td><td>request, local</td>
 *       <td>{@code RevokeRequest}</td><td>when in-flight batches of those partitions are done (or the bound passed)</td></tr>
 *   <tr><td>{@code sluice.<pipeline>.dispatch}</td><td>request, local</td><td>{@code Batch}</td>
 *       <td>{@code BatchOutcome}: every record of the slices not yet reported final (delivered or in the DLQ)</td></tr>
 *   <tr><td>{@code sluice.<pipeline>.batch.progress}</td><td>send, local</td><td>{@code BatchOutcome}: some slices of
 *       a batch final while others still retry (their lanes free at once)</td><td>none</td></tr>
 *   <tr><td>{@code sluice.<pipeline>.consumer.completed}</td><td>send, local</td><td>{@code BatchOutcome}</td><td>none</td></tr>
 * </table>
 * With {@code cluster.enabled}, {@link RemoteAccess#REMOTE_ADDRESSES} are registered cluster-wide and serve callers of
 * other JVMs named in {@code cluster.allowedCallers} ({@value #CALLER_HEADER} header); every other address stays
 * local-only. A refused remote caller gets failure 403 ({@code forbidden: ...}); during a stop, 503 {@code stopping}.
 */
public final class Addresses {
    public static final String PRODUCE = "sluice.produce";
    public static final String PRODUCE_BATCH = "sluice.produce.batch";
    public static final String PRODUCER_RATE = "sluice.producer.rate";
    /**
     * Header naming the caller of a request from another JVM of the cluster; checked against
     * {@code cluster.allowedCallers} ({@link RemoteAccess}). Ignored for requests from the same JVM.
     */
    public static final String CALLER_HEADER = "sluice-caller";

    private Addresses() {}

    public static String batchRecords(String pipeline) {
        return "sluice." + pipeline + ".batch.records";
    }

    public static String batchRevoke(String pipeline) {
        return "sluice." + pipeline + ".batch.revoke";
    }

    public static String dispatch(String pipeline) {
        return "sluice." + pipeline + ".dispatch";
    }

    public static String batchProgress(String pipeline) {
        return "sluice." + pipeline + ".batch.progress";
    }

    public static String completed(String pipeline) {
        return "sluice." + pipeline + ".consumer.completed";
    }
}
