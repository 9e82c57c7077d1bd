package io.sluice.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RunToolIT {

    private static final Pattern SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec");

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void producerPerformanceRunsAndItsOutputParses() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start()) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            ProcessResult result = KafkaTools.runTool(
                            "org.apache.kafka.tools.ProducerPerformance",
                            List.of(
                                    "--topic",
                                    "t",
                                    "--num-records",
                                    "10000",
                                    "--record-size",
                                    "200",
                                    "--throughput",
                                    "-1",
                                    "--producer-props",
                                    "bootstrap.servers=" + kafka.bootstrapServers(),
                                    "acks=all"),
                            Duration.ofSeconds(60))
                    .orThrow();

            // progress lines ("N records sent, ...") come every 5 s on a slow machine; the summary is the last one
            Matcher summary = SUMMARY.matcher(result.stdout());
            String[] last = null;
            while (summary.find()) {
                last = new String[] {summary.group(1), summary.group(2)};
            }
            assertThat(last).as("summary line in:\n%s", result.stdout()).isNotNull();
            assertThat(Long.parseLong(last[0])).isEqualTo(10_000);
            double recordsPerSec = Double.parseDouble(last[1]);
            assertThat(recordsPerSec).isPositive();
            System.out.printf("ProducerPerformance: %.1f records/sec%n", recordsPerSec);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void toolIsKilledOnTimeout() {
        // ConsoleConsumer against a closed port keeps retrying until killed
        ProcessResult result = KafkaTools.runTool(
                "org.apache.kafka.tools.consumer.ConsoleConsumer",
                List.of("--bootstrap-server", "127.0.0.1:1", "--topic", "none"),
                Duration.ofSeconds(4));
        assertThat(result.timedOut()).isTrue();
        assertThat(result.succeeded()).isFalse();
        assertThat(TestSupport.liveDescendants()).isEmpty();
    }
}
