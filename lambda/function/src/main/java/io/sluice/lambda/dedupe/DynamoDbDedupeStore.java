package io.sluice.lambda.dedupe;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Durable store (mode {@code dynamodb}): one DynamoDB item per key, shared by every container, so a redelivery
 * that lands on another container is caught. Follows {@link DedupeStateMachine}.
 *
 * <p>Item: {@code pk} (S, the hash key: {@code <target>|<idempotencyKey>}), {@code s} (S: {@code IN_PROGRESS} or
 * {@code COMPLETE}), {@code exp} (N: the in-progress lock's expiry, epoch ms), {@code ttl} (N: epoch seconds,
 * the table's TTL attribute; DynamoDB deletes the item some time after it).
 * <ul>
 *   <li>claim: {@code PutItem} of {@code IN_PROGRESS} with {@value DedupeStateMachine#CLAIM_CONDITION}, one request
 *       per key (DynamoDB has no batched conditional write), keys in parallel; a failed condition reads the item
 *       (from the exception, else a consistent {@code GetItem}) to tell complete from locked.</li>
 *   <li>complete: {@code BatchWriteItem} puts of {@code COMPLETE}, 25 keys a request; release: {@code BatchWriteItem}
 *       deletes.</li>
 * </ul>
 * A request that fails after the SDK's retries makes that key {@code STORE_UNAVAILABLE} (claim) or throws
 * {@link DedupeStoreException} (complete). Thread-safe.
 */
public final class DynamoDbDedupeStore implements DedupeStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbDedupeStore.class);
    private static final int BATCH = 25;
    private static final String IN_PROGRESS = DedupeStateMachine.State.IN_PROGRESS.name();
    private static final String COMPLETE = DedupeStateMachine.State.COMPLETE.name();

    private final DynamoDbClient client;
    private final String table;
    private final long ttlSeconds;
    private final Duration timeout;
    private final ExecutorService pool;
    private final AtomicLong requests = new AtomicLong();

    /**
     * @param ttlSeconds how long a key is kept after its last write (the {@code ttl} attribute)
     * @param parallelism requests in flight at once per invocation batch
     * @param timeout bound on one batch of claims or completes
     */
    public DynamoDbDedupeStore(
            DynamoDbClient client, String table, long ttlSeconds, int parallelism, Duration timeout) {
        this.client = client;
        this.table = table;
        this.ttlSeconds = ttlSeconds;
        this.timeout = timeout;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "dedupe-dynamodb-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A client over the JDK's {@code HttpURLConnection} (no Netty, no Apache client). Region and credentials from
     * the SDK's default chains (in Lambda: {@code AWS_REGION} and the function's role) unless given.
     *
     * @param endpoint endpoint override (a local DynamoDB-compatible server), or null for the region's endpoint
     * @param region region, or null for the default chain
     * @param credentials credentials, or null for the default chain
     */
    public static DynamoDbClient client(
            URI endpoint, String region, AwsCredentialsProvider credentials, Duration timeout) {
        DynamoDbClientBuilder b = DynamoDbClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofMillis(Math.min(2_000, timeout.toMillis())))
                        .socketTimeout(timeout))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(timeout)
                        .build());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        if (region != null) {
            b.region(Region.of(region));
        }
        if (credentials != null) {
            b.credentialsProvider(credentials);
        }
        return b.build();
    }

    @Override
    public List<DedupeStateMachine.Verdict> claim(List<String> keys, long nowMs, long lockExpiresAtMs) {
        return claim(keys, nowMs, lockExpiresAtMs, 0L);
    }

    @Override
    public List<DedupeStateMachine.Verdict> claim(
            List<String> keys, long nowMs, long lockExpiresAtMs, long answerByEpochMs) {
        List<CompletableFuture<DedupeStateMachine.Verdict>> futures = new ArrayList<>(keys.size());
        for (String key : keys) {
            futures.add(CompletableFuture.supplyAsync(() -> claimOne(key, nowMs, lockExpiresAtMs), pool));
        }
        long waitNanos = timeout.toNanos() * 2;
        if (answerByEpochMs > 0) {
            waitNanos = Math.min(
                    waitNanos,
                    TimeUnit.MILLISECONDS.toNanos(Math.max(1, answerByEpochMs - System.currentTimeMillis())));
        }
        long deadline = System.nanoTime() + waitNanos; // a claim still running then may yet lock its key: it expires
        List<DedupeStateMachine.Verdict> out = new ArrayList<>(keys.size());
        for (CompletableFuture<DedupeStateMachine.Verdict> f : futures) {
            out.add(await(f, deadline));
        }
        return out;
    }

    private static DedupeStateMachine.Verdict await(CompletableFuture<DedupeStateMachine.Verdict> f, long deadline) {
        try {
            return f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            f.cancel(true);
            return DedupeStateMachine.Verdict.STORE_UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DedupeStateMachine.Verdict.STORE_UNAVAILABLE;
        }
    }

    private DedupeStateMachine.Verdict claimOne(String key, long nowMs, long lockExpiresAtMs) {
        try {
            requests.incrementAndGet();
            PutItemResponse put = client.putItem(r -> r.tableName(table)
                    .item(Map.of("pk", s(key), "s", s(IN_PROGRESS), "exp", n(lockExpiresAtMs), "ttl", n(ttl(nowMs))))
                    .conditionExpression(DedupeStateMachine.CLAIM_CONDITION)
                    .expressionAttributeNames(Map.of("#s", "s", "#exp", "exp"))
                    .expressionAttributeValues(Map.of(":inprogress", s(IN_PROGRESS), ":now", n(nowMs)))
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            DedupeStateMachine.Item before =
                    put.hasAttributes() && !put.attributes().isEmpty()
                            ? item(put.attributes())
                            : DedupeStateMachine.Item.ABSENT;
            DedupeStateMachine.Verdict v = DedupeStateMachine.claim(before, nowMs);
            if (v == DedupeStateMachine.Verdict.TAKE_OVER) {
                LOG.info("took over an expired in-progress lock key={}", key);
            }
            return v.holdsLock() ? v : DedupeStateMachine.Verdict.TAKE_OVER; // the condition held: we hold the lock
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> current = e.hasItem() && !e.item().isEmpty() ? e.item() : read(key);
            DedupeStateMachine.Verdict v = current == null
                    ? DedupeStateMachine.Verdict.LOCKED // deleted since: retry later
                    : DedupeStateMachine.claim(item(current), nowMs);
            return v.holdsLock() ? DedupeStateMachine.Verdict.LOCKED : v; // the store refused the write: no lock held
        } catch (RuntimeException e) {
            LOG.warn("dedupe store claim failed key={} cause={}", key, e.toString());
            return DedupeStateMachine.Verdict.STORE_UNAVAILABLE;
        }
    }

    /**
     * One read of a key that is never written, so the client's classes, signer and connection are ready before the
     * first invocation (call it in the init phase). Never throws: a store down now is reported per record later.
     */
    public void prime() {
        try {
            read("sluice|prime");
        } catch (RuntimeException e) {
            LOG.warn("dedupe store priming read failed table={} cause={}", table, e.toString());
        }
    }

    private Map<String, AttributeValue> read(String key) {
        requests.incrementAndGet();
        Map<String, AttributeValue> item = client.getItem(
                        r -> r.tableName(table).key(Map.of("pk", s(key))).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static DedupeStateMachine.Item item(Map<String, AttributeValue> a) {
        AttributeValue st = a.get("s");
        if (st != null && COMPLETE.equals(st.s())) {
            return DedupeStateMachine.Item.COMPLETE;
        }
        AttributeValue exp = a.get("exp");
        return DedupeStateMachine.Item.inProgress(
                exp == null || exp.n() == null ? Long.MAX_VALUE : Long.parseLong(exp.n()));
    }

    @Override
    public void complete(List<String> keys) {
        long ttl = ttl(System.currentTimeMillis());
        batchWrite(
                keys,
                k -> WriteRequest.builder()
                        .putRequest(PutRequest.builder()
                                .item(Map.of("pk", s(k), "s", s(COMPLETE), "ttl", n(ttl)))
                                .build())
                        .build(),
                "complete");
    }

    @Override
    public void release(List<String> keys) {
        try {
            batchWrite(
                    keys,
                    k -> WriteRequest.builder()
                            .deleteRequest(DeleteRequest.builder()
                                    .key(Map.of("pk", s(k)))
                                    .build())
                            .build(),
                    "release");
        } catch (DedupeStoreException e) {
            LOG.warn("dedupe store release failed for {} keys (their locks expire): {}", keys.size(), e.getMessage());
        }
    }

    private void batchWrite(List<String> keys, java.util.function.Function<String, WriteRequest> write, String what) {
        if (keys.isEmpty()) {
            return;
        }
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(keys)); // one request may not name a key twice
        List<CompletableFuture<Void>> chunks = new ArrayList<>();
        for (int i = 0; i < unique.size(); i += BATCH) {
            List<WriteRequest> chunk = new ArrayList<>(BATCH);
            unique.subList(i, Math.min(unique.size(), i + BATCH)).forEach(k -> chunk.add(write.apply(k)));
            chunks.add(CompletableFuture.runAsync(() -> writeChunk(chunk), pool));
        }
        long deadline = System.nanoTime() + timeout.toNanos() * 3;
        Throwable failure = null;
        for (CompletableFuture<Void> f : chunks) {
            try {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (TimeoutException e) {
                failure = failure == null ? e : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw new DedupeStoreException(
                    "dedupe store " + what + " of " + unique.size() + " keys failed: " + failure, failure);
        }
    }

    private void writeChunk(List<WriteRequest> chunk) {
        Map<String, List<WriteRequest>> pending = new HashMap<>(Map.of(table, chunk));
        for (int round = 0; ; round++) {
            requests.incrementAndGet();
            Map<String, List<WriteRequest>> items = pending;
            BatchWriteItemResponse resp = client.batchWriteItem(r -> r.requestItems(items));
            if (!resp.hasUnprocessedItems() || resp.unprocessedItems().isEmpty()) {
                return;
            }
            if (round >= 5) {
                throw new IllegalStateException(
                        resp.unprocessedItems().getOrDefault(table, List.of()).size()
                                + " items still unprocessed after 6 BatchWriteItem requests (throttled)");
            }
            pending = resp.unprocessedItems();
            try {
                Thread.sleep(20L << round); // a request thread of the function, not an event loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private long ttl(long nowMs) {
        return nowMs / 1000 + ttlSeconds;
    }

    @Override
    public long requests() {
        return requests.get();
    }

    /**
     * Creates the table (hash key {@code pk}, on-demand) when it does not exist and waits until it is active; for
     * local servers and tests (deployments create it with the SAM template).
     */
    public static void createTableIfMissing(DynamoDbClient client, String table, Duration wait) {
        try {
            client.createTable(r -> r.tableName(table)
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName("pk")
                            .attributeType(ScalarAttributeType.S)
                            .build())
                    .keySchema(KeySchemaElement.builder()
                            .attributeName("pk")
                            .keyType(KeyType.HASH)
                            .build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
        } catch (ResourceInUseException e) {
            // exists
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (client.describeTable(r -> r.tableName(table)).table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("table " + table + " not ACTIVE within " + wait);
            }
            try {
                Thread.sleep(50); // set-up on a caller's thread, not an event loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        client.close();
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    private static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }
}
