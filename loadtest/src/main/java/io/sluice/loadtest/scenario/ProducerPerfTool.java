package io.sluice.loadtest.scenario;

import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.embedded.ProcessResult;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Apache Kafka's own {@code org.apache.kafka.tools.ProducerPerformance}, run in a child JVM on the
 * broker's class path ({@link EmbeddedKafkaCluster#runTool}), and its summary line parsed.
 */
final class ProducerPerfTool {
    static final String MAIN = "org.apache.kafka.tools.ProducerPerformance";
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), "
            + "([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th, (\\d+) ms 99.9th");

    private ProducerPerfTool() {
    }

    /** The tool's summary: its own throughput and its send-to-ack latencies (whole milliseconds). */
    record Result(long records, double recordsPerSec, double mbPerSec, double avgMs, double maxMs, long p50Ms,
                  long p95Ms, long p99Ms, long p999Ms, Duration elapsed) {
    }

    /**
     * @param throughput records/s cap, or -1 for none
     * @param props      producer properties (bootstrap.servers is added)
     */
    static Result run(EmbeddedKafkaCluster cluster, String topic, long records, double throughput, Path payloadFile,
                      Map<String, String> props, Duration timeout) {
        List<String> args = new ArrayList<>(List.of("--topic", topic, "--num-records", Long.toString(records),
                "--payload-file", payloadFile.toAbsolutePath().toString(),
                "--throughput", throughput < 0 ? "-1" : Long.toString(Math.round(throughput)), "--producer-props",
                "bootstrap.servers=" + cluster.bootstrapServers()));
        props.forEach((k, v) -> args.add(k + "=" + v));
        ProcessResult r = cluster.runTool(MAIN, args, timeout).orThrow();
        return parse(r.stdout(), r.elapsed());
    }

    static Result parse(String stdout, Duration elapsed) {
        Matcher m = SUMMARY.matcher(stdout);
        Result last = null;
        while (m.find()) {
            last = new Result(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                    Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)), Long.parseLong(m.group(6)),
                    Long.parseLong(m.group(7)), Long.parseLong(m.group(8)), Long.parseLong(m.group(9)), elapsed);
        }
        if (last == null) {
            throw new IllegalStateException("no ProducerPerformance summary line in its output:\n" + stdout);
        }
        return last;
    }
}
