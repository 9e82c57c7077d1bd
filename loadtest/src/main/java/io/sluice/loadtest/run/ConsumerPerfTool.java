package io.sluice.loadtest.run;

import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.embedded.ProcessResult;
import java.time.Duration;
import java.util.List;

/**
 * Apache Kafka's own {@code org.apache.kafka.tools.ConsumerPerformance} in a child JVM on the broker's class
 * path, reading a topic from the beginning; its result line parsed. The throughput reported is the tool's
 * {@code fetch.nMsg.sec} (records per second while fetching, the group join excluded).
 */
public final class ConsumerPerfTool {
    static final String MAIN = "org.apache.kafka.tools.ConsumerPerformance";

    private ConsumerPerfTool() {}

    /** The tool's records consumed and records per second while fetching. */
    public record Result(long records, double recordsPerSec) {}

    public static Result run(EmbeddedKafkaCluster cluster, String topic, long records, Duration timeout) {
        ProcessResult r = cluster.runTool(
                        MAIN,
                        List.of(
                                "--bootstrap-server",
                                cluster.bootstrapServers(),
                                "--topic",
                                topic,
                                "--messages",
                                Long.toString(records),
                                "--timeout",
                                "30000"),
                        timeout)
                .orThrow();
        return parse(r.stdout());
    }

    /**
     * Parses the line after the {@code start.time, end.time, ...} header (columns {@code data.consumed.in.nMsg}
     * and {@code fetch.nMsg.sec}).
     */
    static Result parse(String stdout) {
        String[] lines = stdout.split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].startsWith("start.time")) {
                List<String> header = List.of(lines[i].split(",\\s*"));
                String[] values = lines[i + 1].split(",\\s*");
                int n = header.indexOf("data.consumed.in.nMsg");
                int rate = header.indexOf("fetch.nMsg.sec");
                if (n >= 0 && rate >= 0 && values.length > Math.max(n, rate)) {
                    return new Result(Long.parseLong(values[n].trim()), Double.parseDouble(values[rate].trim()));
                }
            }
        }
        throw new IllegalStateException("no ConsumerPerformance result line in its output:\n" + stdout);
    }
}
