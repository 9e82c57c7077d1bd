package io.sluice.lambda.target;

import io.sluice.lambda.record.RoutedRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each routed record at INFO (logger {@code io.sluice.lambda.target.log.<name>}); always succeeds. */
public final class LogTarget implements Target {

    private final String name;
    private final Logger log;

    public LogTarget(String name) {
        this.name = name;
        this.log = LoggerFactory.getLogger("io.sluice.lambda.target.log." + name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<Void> deliver(List<RoutedRecord> records) {
        for (RoutedRecord r : records) {
            log.info(
                    "routed topic={} partition={} offset={} correlationId={} eventId={} code={} truckId={} key={}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    r.correlationId(),
                    r.eventId(),
                    r.code(),
                    r.truckId(),
                    r.key());
        }
        return CompletableFuture.completedFuture(null);
    }
}
