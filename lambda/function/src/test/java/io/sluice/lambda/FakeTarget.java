package io.sluice.lambda;

import io.sluice.lambda.record.RoutedRecord;
import io.sluice.lambda.target.Target;
import io.sluice.lambda.target.TargetFailedException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A target whose outcome the test decides; records every call. */
final class FakeTarget implements Target {
    final String name;
    final List<List<RoutedRecord>> calls = new CopyOnWriteArrayList<>();
    volatile Function<List<RoutedRecord>, CompletableFuture<Void>> behaviour =
            r -> CompletableFuture.completedFuture(null);

    FakeTarget(String name) {
        this.name = name;
    }

    FakeTarget failing() {
        behaviour = r -> CompletableFuture.failedFuture(new TargetFailedException(name + " is down"));
        return this;
    }

    FakeTarget succeeding() {
        behaviour = r -> CompletableFuture.completedFuture(null);
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<Void> deliver(List<RoutedRecord> records) {
        calls.add(List.copyOf(records));
        return behaviour.apply(records);
    }
}
