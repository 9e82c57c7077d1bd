package io.sluice.loadtest.scenario;

import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.embedded.ProcessResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Apache Kafka's own {@code org.apache.kafka.tools.ProducerPerformance}, run in a child JVM on the
 * broker's class path ({@link EmbeddedKafkaCluster#runTool}), and its summary line parsed.
 */
final class ProducerPerfTool {
    static final String MAIN = "org.apache.kafka.tools.ProducerPerformance";
    private static final Pattern SUMMARY = Pattern.compile(
            "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), "
                    + "([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th, (\\d+) ms 99.9th");

    private ProducerPerfTool() {}

    /** One of the tool's interim lines, printed every 5 s: records completed in the window and their rate. */
    private static final Pattern WINDOW = Pattern.compile(
            "^(\\d+) records sent, ([\\d.]+) records/sec \\([\\d.]+ MB/sec\\), "
                    + "[\\d.]+ ms avg latency, [\\d.]+ ms max latency\\.\\s*$",
            Pattern.MULTILINE);

    /**
     * The tool's summary: its own throughput and its send-to-ack latencies (whole milliseconds), and
     * {@code steadyRecordsPerSec}: its rate over its interim 5-second windows after the first, i.e. without its
     * fresh JVM's start (class loading, JIT compilation); the whole-run rate when it printed fewer than two windows.
     */
    record Result(
            long records,
            double recordsPerSec,
            double mbPerSec,
            double avgMs,
            double maxMs,
            long p50Ms,
            long p95Ms,
            long p99Ms,
            long p999Ms,
            Duration elapsed,
            double steadyRecordsPerSec) {}

    /**
     * @param throughput records/s cap, or -1 for none
     * @param props      producer properties (bootstrap.servers is added)
     */
    static Result run(
            EmbeddedKafkaCluster cluster,
            String topic,
            long records,
            double throughput,
            Path payloadFile,
            Map<String, String> props,
            Duration timeout) {
        List<String> args = new ArrayList<>(List.of(
                "--topic",
                topic,
                "--num-records",
                Long.toString(records),
                "--payload-file",
                payloadFile.toAbsolutePath().toString(),
                "--throughput",
                throughput < 0 ? "-1" : Long.toString(Math.round(throughput)),
                "--producer-props",
                "bootstrap.servers=" + cluster.bootstrapServers()));
        props.forEach((k, v) -> args.add(k + "=" + v));
        ProcessResult r = cluster.runTool(MAIN, args, timeout).orThrow();
        return parse(r.stdout(), r.elapsed());
    }

    static Result parse(String stdout, Duration elapsed) {
        Matcher m = SUMMARY.matcher(stdout);
        MatchResult last = null;
        while (m.find()) {
            last = m.toMatchResult();
        }
        if (last == null) {
            throw new IllegalStateException("no ProducerPerformance summary line in its output:\n" + stdout);
        }
        double recordsPerSec = Double.parseDouble(last.group(2));
        return new Result(
                Long.parseLong(last.group(1)),
                recordsPerSec,
                Double.parseDouble(last.group(3)),
                Double.parseDouble(last.group(4)),
                Double.parseDouble(last.group(5)),
                Long.parseLong(last.group(6)),
                Long.parseLong(last.group(7)),
                Long.parseLong(last.group(8)),
                Long.parseLong(last.group(9)),
                elapsed,
                steadyRate(stdout, recordsPerSec));
    }

    /** Records over seconds of the interim windows after the first; {@code whole} when there are fewer than two. */
    static double steadyRate(String stdout, double whole) {
        Matcher w = WINDOW.matcher(stdout);
        int windows = 0;
        double records = 0;
        double seconds = 0;
        while (w.find()) {
            if (windows++ == 0) {
                continue;
            }
            double n = Double.parseDouble(w.group(1));
            double rate = Double.parseDouble(w.group(2));
            if (rate > 0) {
                records += n;
                seconds += n / rate;
            }
        }
        return windows >= 2 && seconds > 0 ? records / seconds : whole;
    }
}
