package io.sluice.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.lambda.dedupe.DedupeStore;
import io.sluice.lambda.dedupe.LruDedupeStore;
import io.sluice.lambda.event.KafkaEventBatch;
import io.sluice.lambda.event.KafkaEventParser;
import io.sluice.lambda.event.KafkaEventRecord;
import io.sluice.lambda.record.DecodedRecord;
import io.sluice.lambda.record.InvalidRecordException;
import io.sluice.lambda.record.RecordDecoder;
import io.sluice.lambda.record.RecordTransformer;
import io.sluice.lambda.record.RoutedRecord;
import io.sluice.lambda.record.TelemetryEvent;
import io.sluice.lambda.record.TelemetryValidator;
import io.sluice.lambda.route.RouteTable;
import io.sluice.lambda.route.TargetSpec;
import io.sluice.lambda.route.UnknownCodePolicy;
import io.sluice.lambda.target.HttpTarget;
import io.sluice.lambda.target.LogTarget;
import io.sluice.lambda.target.Target;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The function's logic, no Lambda types: parse the Kafka event, then per record decode, validate, transform
 * and route by code; one call per target with all its records, every target concurrently; answer which
 * records failed (retryable) and which are invalid (permanent). Thread-safe; build once per container.
 */
public final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /** Shared JSON mapper (thread-safe once configured). */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private final KafkaEventParser parser = new KafkaEventParser(MAPPER);
  private final RecordDecoder decoder = new RecordDecoder();
  private final TelemetryValidator validator = new TelemetryValidator(MAPPER);
  private final RecordTransformer transformer = new RecordTransformer();
  private final RouteTable routes;
  private final Map<String, Target> targets;
  private final DedupeStore dedupe;
  private final long defaultWaitMs;

  /**
   * @param targets one {@link Target} per target named in the route table
   */
  public Dispatcher(RouteTable routes, Map<String, Target> targets, DedupeStore dedupe) {
    this.routes = routes;
    this.targets = Map.copyOf(targets);
    this.dedupe = dedupe;
    for (String name : routes.targets().keySet()) {
      if (!this.targets.containsKey(name)) {
        throw new IllegalArgumentException("no Target implementation for route-table target '" + name + "'");
      }
    }
    this.defaultWaitMs = routes.targets().values().stream()
        .filter(t -> t.timeout() != null)
        .mapToLong(t -> t.timeout().toMillis())
        .max().orElse(0L) + 1_000L;
  }

  /** Builds the production dispatcher: one {@link HttpClient} shared by all HTTP targets. */
  public static Dispatcher create(DispatcherConfig config) {
    HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(config.connectTimeout())
        .build();
    Map<String, Target> targets = new LinkedHashMap<>();
    for (TargetSpec spec : config.routes().targets().values()) {
      targets.put(spec.name(), spec.type() == TargetSpec.Type.HTTP ? new HttpTarget(spec, http) : new LogTarget(spec.name()));
    }
    DedupeStore dedupe = config.dedupeCapacity() == 0 ? DedupeStore.none() : new LruDedupeStore(config.dedupeCapacity());
    return new Dispatcher(config.routes(), targets, dedupe);
  }

  /** Same as {@link #dispatch(byte[], Set, long)} with no forced failures and the default wait bound. */
  public DispatchResponse dispatch(byte[] payload) {
    return dispatch(payload, Set.of(), 0L);
  }

  /**
   * @param payload the Lambda Kafka event
   * @param forcedFailures records to report as failed without calling any target (fault injection)
   * @param deadlineEpochMs stop waiting for targets at this time (0 = longest target timeout + 1 s)
   * @throws io.sluice.lambda.event.InvalidEventException the payload is not a Lambda Kafka event
   */
  public DispatchResponse dispatch(byte[] payload, Set<RecordId> forcedFailures, long deadlineEpochMs) {
    KafkaEventBatch batch = parser.parse(payload);
    Set<RecordId> failed = new HashSet<>();
    List<InvalidRecord> invalid = new ArrayList<>();
    Map<String, List<Pending>> perTarget = new LinkedHashMap<>();

    for (KafkaEventRecord rec : batch.records()) {
      RecordId id = rec.id();
      if (forcedFailures.contains(id)) {
        failed.add(id);
        continue;
      }
      RoutedRecord routed;
      try {
        DecodedRecord decoded = decoder.decode(rec);
        TelemetryEvent event = validator.validate(decoded.value());
        routed = transformer.transform(decoded, event);
      } catch (InvalidRecordException e) {
        invalid.add(new InvalidRecord(id, e.reason()));
        LOG.warn("invalid record topic={} partition={} offset={} reason={}", rec.topic(), rec.partition(),
            rec.offset(), e.reason());
        continue;
      }
      Optional<List<String>> names = routes.targetsFor(routed.code());
      if (names.isEmpty()) {
        if (routes.unknownCodePolicy() == UnknownCodePolicy.DROP) {
          LOG.info("dropped record with unrouted code topic={} partition={} offset={} correlationId={} code={}",
              rec.topic(), rec.partition(), rec.offset(), routed.correlationId(), routed.code());
        } else {
          String reason = "no route for code " + routed.code();
          invalid.add(new InvalidRecord(id, reason));
          LOG.warn("invalid record topic={} partition={} offset={} correlationId={} reason={}", rec.topic(),
              rec.partition(), rec.offset(), routed.correlationId(), reason);
        }
        continue;
      }
      for (String target : names.get()) {
        String dedupeKey = target + "|" + routed.idempotencyKey();
        if (dedupe.seen(dedupeKey)) {
          LOG.debug("skipped already delivered topic={} partition={} offset={} target={} idempotencyKey={}",
              rec.topic(), rec.partition(), rec.offset(), target, routed.idempotencyKey());
          continue;
        }
        perTarget.computeIfAbsent(target, k -> new ArrayList<>()).add(new Pending(routed, dedupeKey));
      }
    }

    Map<String, CompletableFuture<Void>> calls = new LinkedHashMap<>();
    perTarget.forEach((name, pending) -> calls.put(name, call(targets.get(name), pending)));
    awaitAll(calls.values(), deadlineEpochMs);

    calls.forEach((name, future) -> {
      List<Pending> pending = perTarget.get(name);
      if (future.isDone() && !future.isCompletedExceptionally()) {
        pending.forEach(p -> dedupe.markSeen(p.dedupeKey()));
        return;
      }
      String cause = failureCause(future);
      future.cancel(true);
      for (Pending p : pending) {
        RoutedRecord r = p.record();
        failed.add(r.id());
        LOG.warn("target call failed topic={} partition={} offset={} correlationId={} target={} cause={}",
            r.topic(), r.partition(), r.offset(), r.correlationId(), name, cause);
      }
    });

    List<RecordId> failures = new ArrayList<>();
    Set<RecordId> emitted = new HashSet<>();
    for (KafkaEventRecord rec : batch.records()) {
      RecordId id = rec.id();
      if (failed.contains(id) && emitted.add(id)) {
        failures.add(id);
      }
    }
    LOG.debug("dispatched records={} targets={} failed={} invalid={}", batch.records().size(), calls.size(),
        failures.size(), invalid.size());
    return new DispatchResponse(failures, invalid);
  }

  private static CompletableFuture<Void> call(Target target, List<Pending> pending) {
    List<RoutedRecord> records = new ArrayList<>(pending.size());
    pending.forEach(p -> records.add(p.record()));
    try {
      return target.deliver(records);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void awaitAll(java.util.Collection<CompletableFuture<Void>> futures, long deadlineEpochMs) {
    if (futures.isEmpty()) {
      return;
    }
    long waitMs = deadlineEpochMs > 0 ? deadlineEpochMs - System.currentTimeMillis() : defaultWaitMs;
    try {
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(Math.max(1L, waitMs), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // per-target outcomes are read below; one failure does not stop the wait for the others
      waitForRest(futures, deadlineEpochMs > 0 ? deadlineEpochMs : System.currentTimeMillis() + waitMs);
    } catch (TimeoutException e) {
      LOG.warn("deadline reached with target calls still running; they are reported as failed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void waitForRest(java.util.Collection<CompletableFuture<Void>> futures, long deadline) {
    for (CompletableFuture<Void> f : futures) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return;
      }
      try {
        f.get(left, TimeUnit.MILLISECONDS);
      } catch (ExecutionException ignored) {
        // read later
      } catch (TimeoutException e) {
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static String failureCause(CompletableFuture<Void> f) {
    if (!f.isDone()) {
      return "deadline reached before the target answered";
    }
    try {
      f.join();
      return "unknown";
    } catch (RuntimeException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      return c.getMessage() != null ? c.getMessage() : c.toString();
    }
  }

  private record Pending(RoutedRecord record, String dedupeKey) {}
}
