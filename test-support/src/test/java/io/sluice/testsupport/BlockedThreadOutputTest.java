package io.sluice.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scan of a child JVM's output, on lines as the fat jar's logback.xml prints them. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BlockedThreadOutputTest {
    private static final List<String> OUTPUT = List.of(
            "10:00:00.000 INFO  [main] i.s.l.Main - Sluice started",
            "10:00:01.000 WARN  [vertx-blocked-thread-checker] i.v.c.i.BlockedThreadChecker - Thread vert.x-eventloop-thread-1 has been blocked for 2391 ms, time limit is 2000 ms",
            "10:00:05.000 WARN  [vertx-blocked-thread-checker] i.v.c.i.BlockedThreadChecker - Thread vert.x-eventloop-thread-1 has been blocked for 6391 ms, time limit is 2000 ms",
            "io.vertx.core.VertxException: Thread blocked",
            "\tat java.base/java.net.Inet6AddressImpl.lookupAllHostAddr(Native Method)",
            "\tat java.base/java.net.InetAddress.getAllByName0(InetAddress.java:1519)",
            "\tat org.apache.kafka.clients.ClientUtils.resolve(ClientUtils.java:116)",
            "\tat org.apache.kafka.clients.producer.KafkaProducer.<init>(KafkaProducer.java:436)",
            "\tat io.sluice.launcher.Sluice.startProducer(Sluice.java:210)",
            "10:00:06.000 INFO  [main] i.s.l.Main - Sluice stopped");

    @Test
    void findsEachWarningWithTheStackPrintedBelowIt() {
        List<BlockedThreadWarning> ws = BlockedThreadOutput.scan(OUTPUT);

        assertThat(ws)
                .extracting(BlockedThreadWarning::thread)
                .containsExactly("vert.x-eventloop-thread-1", "vert.x-eventloop-thread-1");
        assertThat(ws).extracting(BlockedThreadWarning::blockedMs).containsExactly(2391L, 6391L);
        assertThat(ws.get(0).stack()).isEmpty();
        assertThat(ws.get(1).stack())
                .hasSize(5)
                .startsWith("java.base/java.net.Inet6AddressImpl.lookupAllHostAddr(Native Method)")
                .endsWith("io.sluice.launcher.Sluice.startProducer(Sluice.java:210)");
    }

    @Test
    void assertNoneFailsNamingTheProcessTheThreadAndTheFrames() {
        assertThatThrownBy(() -> BlockedThreadOutput.assertNone("sluice child a", OUTPUT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContainingAll(
                        "warned during sluice child a: 1 blocked episode on 1 thread",
                        "vert.x-eventloop-thread-1: blocked for up to 6391 ms, limit 2000 ms, 2 warnings",
                        "at java.net.Inet6AddressImpl.lookupAllHostAddr(Native Method)",
                        "at io.sluice.launcher.Sluice.startProducer(Sluice.java:210)");
    }

    @Test
    void outputWithoutWarningsPasses() {
        BlockedThreadOutput.assertNone(
                "clean",
                List.of(OUTPUT.get(0), OUTPUT.get(OUTPUT.size() - 1), "WARN some other warning about a thread"));
    }

    @Test
    void loaderAndModulePrefixesAreDroppedButHiddenClassNamesKept() {
        assertThat(BlockedThreadReport.withoutLoaderAndModule("app//io.sluice.A.b(A.java:1)"))
                .isEqualTo("io.sluice.A.b(A.java:1)");
        assertThat(BlockedThreadReport.withoutLoaderAndModule(
                        "java.base@17.0.15/java.lang.Thread.sleep(Native Method)"))
                .isEqualTo("java.lang.Thread.sleep(Native Method)");
        assertThat(BlockedThreadReport.withoutLoaderAndModule(
                        "io.sluice.A$$Lambda$622/0x00007f5e881d6100.handle(Unknown Source)"))
                .isEqualTo("io.sluice.A$$Lambda$622/0x00007f5e881d6100.handle(Unknown Source)");
    }

    @Test
    void eachBlockingEpisodeIsReportedWithItsOwnStackLongestFirst() {
        List<BlockedThreadWarning> ws = List.of(
                new BlockedThreadWarning("loop-0", 2100, 2000, List.of("io.sluice.A.first(A.java:1)")),
                new BlockedThreadWarning("loop-0", 3100, 2000, List.of()),
                new BlockedThreadWarning("loop-1", 2050, 2000, List.of("io.sluice.C.other(C.java:3)")),
                new BlockedThreadWarning("loop-0", 2400, 2000, List.of("io.sluice.B.second(B.java:2)")));

        String report = BlockedThreadReport.describe("x", ws);

        assertThat(report)
                .contains("3 blocked episodes on 2 threads")
                .contains(
                        "loop-0: blocked for up to 3100 ms, limit 2000 ms, 2 warnings\n    at io.sluice.A.first(A.java:1)")
                .contains(
                        "loop-0: blocked for up to 2400 ms, limit 2000 ms, 1 warning\n    at io.sluice.B.second(B.java:2)")
                .contains("loop-1: blocked for up to 2050 ms");
        assertThat(report.indexOf("3100 ms")).isLessThan(report.indexOf("2400 ms"));
        assertThat(report.indexOf("2400 ms")).isLessThan(report.indexOf("2050 ms"));
    }

    @Test
    void beyondTheShownEpisodesTheRestIsCounted() {
        List<BlockedThreadWarning> ws = new java.util.ArrayList<>();
        for (int i = 0; i < BlockedThreadReport.EPISODES_SHOWN + 2; i++) {
            ws.add(new BlockedThreadWarning("loop-" + i, 3000 - i, 2000, List.of()));
        }
        assertThat(BlockedThreadReport.describe("x", ws))
                .contains("... and 2 shorter episodes (up to " + (3000 - BlockedThreadReport.EPISODES_SHOWN)
                        + " ms) on loop-6, loop-7");
    }

    @Test
    void projectFramesBelowTheHeadAreShownAsTheCaller() {
        List<String> deep = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            deep.add("org.apache.kafka.Deep.frame" + i + "(Deep.java:" + i + ")");
        }
        deep.add("io.sluice.pipeline.Pipeline.start(Pipeline.java:77)");
        String report = BlockedThreadReport.describe("x", List.of(new BlockedThreadWarning("t", 3000, 2000, deep)));

        assertThat(report)
                .contains("at org.apache.kafka.Deep.frame7(")
                .doesNotContain("frame8(")
                .contains("... called from:\n    at io.sluice.pipeline.Pipeline.start(Pipeline.java:77)");
    }
}
