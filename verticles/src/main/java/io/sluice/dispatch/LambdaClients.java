package io.sluice.dispatch;

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

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the async Lambda client: Netty NIO HTTP, the SDK's own retries off (Sluice has one retry
 * policy), the API call timeout from config, and {@code endpointOverride} for the local endpoint.
 * Against a loopback endpoint, static dummy credentials are used (the local endpoint does not check
 * signatures); otherwise the default AWS credentials chain (instance profile on EC2).
 */
public final class LambdaClients {
    /**
     * One event-loop group for every client, never shut down (daemon threads end with the JVM). A client
     * given a group does not own it, so its close returns at once; a client with a group of its own waits
     * out Netty's 2 s quiet period on close, on every pipeline stop (Ctrl-C, TLS rotation).
     */
    private static final SdkEventLoopGroup EVENT_LOOPS = SdkEventLoopGroup.builder().threadFactory(daemonThreads()).build();

    private LambdaClients() {
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "sluice-lambda-netty-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public static LambdaAsyncClient create(LambdaSettings s) {
        LambdaAsyncClientBuilder b = LambdaAsyncClient.builder()
                .region(Region.of(s.region()))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .eventLoopGroup(EVENT_LOOPS)
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
