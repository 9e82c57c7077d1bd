package io.sluice.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;

class LambdaClientsTest {

    /**
     * A pipeline closes its Lambda client on every stop (Ctrl-C, SIGTERM, TLS rotation): with an event-loop
     * group of its own, the SDK's close waits out Netty's 2 s quiet period, a fixed 2 s on every stop.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void closingAClientDoesNotWaitOutAQuietPeriod() {
        LambdaSettings settings =
                new LambdaSettings("dispatcher", "us-east-1", URI.create("http://127.0.0.1:9"), 5_000, 4);
        List<Long> closeMs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LambdaAsyncClient client = LambdaClients.create(settings);
            long t0 = System.nanoTime();
            LambdaClients.close(client);
            closeMs.add((System.nanoTime() - t0) / 1_000_000);
        }
        // a client built after others were closed still works: its invocation reaches the (closed) port
        LambdaAsyncClient client = LambdaClients.create(settings);
        assertThat(client.invoke(b -> b.functionName("dispatcher")))
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableThat()
                .havingRootCause()
                .isInstanceOf(ConnectException.class);
        LambdaClients.close(client);
        assertThat(closeMs)
                .as("ms to close each client")
                .allSatisfy(ms -> assertThat(ms).isLessThan(1_000));
    }

    /** An application that undeploys Sluice keeps none of its threads: the last client closed ends the group. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void theLastReleaseEndsTheSharedEventLoopThreads() {
        LambdaClients.SharedGroup shared = new LambdaClients.SharedGroup();
        var group = shared.acquire();
        assertThat(shared.acquire()).as("one group for every client").isSameAs(group);
        group.eventLoopGroup().submit(() -> {}).syncUninterruptibly(); // a thread started
        assertThat(shared.release()).as("another client still uses the group").isNull();
        assertThat(shared.isOpen()).isTrue();
        assertThat(shared.release()).isSameAs(group);
        assertThat(shared.isOpen()).isFalse();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> group.eventLoopGroup().isTerminated());
        assertThat(shared.acquire()).as("a client after that gets a new group").isNotSameAs(group);
        shared.release();
    }
}
