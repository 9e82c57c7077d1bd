package io.sluice.dispatch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.LambdaAsyncClientBuilder;

/**
 * Builds the async Lambda client: Netty NIO HTTP, the SDK's own retries off (Sluice has one retry
 * policy), the API call timeout from config, and {@code endpointOverride} for the local endpoint.
 * Against a loopback endpoint, static dummy credentials are used (the local endpoint does not check
 * signatures); otherwise the default AWS credentials chain (instance profile on EC2).
 */
public final class LambdaClients {
    /**
     * One event-loop group shared by the open clients, created with the first and shut down (without a quiet
     * period, not waited for) when the last is {@linkplain #close closed}: an embedding application that
     * undeploys Sluice keeps no thread of it. A client given a group does not own it, so its close returns at once;
     * a client with a group of its own would wait out Netty's 2 s quiet period on every pipeline stop (Ctrl-C, TLS
     * rotation).
     */
    private static final SharedGroup EVENT_LOOPS = new SharedGroup();

    /** The event-loop group of the open clients: created by the first acquire, shut down by the last release. */
    static final class SharedGroup {
        private SdkEventLoopGroup group;
        private int open;

        synchronized SdkEventLoopGroup acquire() {
            if (group == null) {
                group = SdkEventLoopGroup.builder()
                        .threadFactory(daemonThreads())
                        .build();
            }
            open++;
            return group;
        }

        /** @return the group this release shut down (it ends its threads soon after), or null while clients remain */
        SdkEventLoopGroup release() {
            SdkEventLoopGroup last = null;
            synchronized (this) {
                if (--open == 0) {
                    last = group;
                    group = null;
                }
            }
            if (last != null) {
                last.eventLoopGroup().shutdownGracefully(0, 2, TimeUnit.SECONDS);
            }
            return last;
        }

        synchronized boolean isOpen() {
            return group != null;
        }
    }

    private LambdaClients() {}

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "sluice-lambda-netty-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A client on the shared event-loop group; give it back with {@link #close}. */
    public static LambdaAsyncClient create(LambdaSettings s) {
        SdkEventLoopGroup group = EVENT_LOOPS.acquire();
        LambdaAsyncClientBuilder b = LambdaAsyncClient.builder()
                .region(Region.of(s.region()))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .eventLoopGroup(group)
                        .maxConcurrency(s.maxConcurrency())
                        .maxPendingConnectionAcquires(100_000)
                        .connectionTimeout(Duration.ofSeconds(5))
                        .readTimeout(Duration.ofMillis(s.timeoutMs())))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofMillis(s.timeoutMs()))
                        .build())
                .credentialsProvider(credentials(s));
        if (s.endpointOverride() != null) {
            b.endpointOverride(s.endpointOverride());
        }
        return b.build();
    }

    /** Closes a client of {@link #create}; the last one closed shuts the shared event-loop group down. */
    public static void close(LambdaAsyncClient client) {
        client.close();
        EVENT_LOOPS.release();
    }

    private static AwsCredentialsProvider credentials(LambdaSettings s) {
        if (s.endpointOverride() != null && isLoopback(s.endpointOverride().getHost())) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
