package io.sluice.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    /** A full report as a scenario writes it, plus a timeline with gaps and two fault events. */
    static JsonObject sample() {
        JsonObject j = new Report("broker-outage", 120)
                .targetRate(13000.0)
                .producedAccepted(1_559_874L)
                .deliveredUnique(1_559_870L)
                .duplicates(312L)
                .inDlq(0L)
                .lost(4L)
                .orderViolations(0L)
                .deliveredPerSecond(12998.9)
                .latency(new LatencySummary(41.2, 180.5, 950.25, 2100.0, 4312.7, 1_559_870))
                .lambda(15_600L, 10_000.6)
                .memory(212.4, 480.9)
                .lagMax(152_000L, 11.7)
                .baseline(310_000.0, null, 295_000.0)
                .check("no-loss", false, "lost 4 records <script>alert('x')</script> & more")
                .check("latency-p99", true, "p99 950 ms <= 2000 ms")
                .extra("machine", "2 vCPU AMD EPYC, 23 GiB, Java 17.0.15")
                .extra("producerAckLatencyMs", new JsonObject().put("p99", 3.5).put("note", "<b>ack</b>"))
                .toJson();
        JsonArray timeline = new JsonArray();
        for (int t = 0; t <= 120; t++) {
            boolean down = t >= 40 && t < 55;
            double produced = 13_000 + (t % 7) * 20;
            double delivered = down ? 0 : t >= 55 && t < 70 ? 24_000 : 12_990;
            Long lag = t % 30 == 29 ? null : down ? (t - 39) * 13_000L : t >= 55 && t < 70 ? (70 - t) * 9_000L : 120L;
            timeline.add(new JsonObject()
                    .put("t", t)
                    .put("producedPerSec", produced)
                    .put("deliveredPerSec", delivered)
                    .put("lagRecords", lag)
                    .put("latencyP50Ms", down ? null : 40.0 + (t % 5))
                    .put(
                            "latencyP99Ms",
                            down ? null : t >= 55 && t < 70 ? 4200.0 - (t - 55) * 250 : 300.0 + (t % 11) * 10));
        }
        j.put("timeline", timeline);
        j.put(
                "events",
                new JsonArray()
                        .add(new JsonObject().put("t", 40).put("label", "broker 2 killed"))
                        .add(new JsonObject().put("t", 55).put("label", "broker 2 restarted <ok>")));
        return j;
    }

    /** All-zero throughput, all-null latency, huge lag, junk entries, an event outside the samples. */
    static JsonObject sparse() {
        JsonArray t = new JsonArray().add("junk").add(new JsonObject().put("producedPerSec", 1));
        for (int i = 0; i < 10; i++) {
            t.add(new JsonObject()
                    .put("t", i * 0.5)
                    .put("producedPerSec", 0)
                    .put("deliveredPerSec", 0)
                    .put("lagRecords", 3_000_000_000L * i)
                    .putNull("latencyP50Ms")
                    .putNull("latencyP99Ms"));
        }
        return new Report("sparse", 5)
                .check("a", true, "ok")
                .toJson()
                .put("timeline", t)
                .put("events", new JsonArray().add(new JsonObject().put("t", 6).put("label", "late event")))
                .put("machine", (String) null);
    }

    @Test
    void rendersAFullReportWithChartsChecksAndEvents() {
        String html = HtmlReport.render(sample());

        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(count(html, "<svg")).isEqualTo(3);
        assertThat(html)
                .contains(
                        "broker-outage",
                        "FAILED",
                        "no-loss",
                        "latency-p99",
                        "broker 2 killed",
                        "broker 2 restarted &lt;ok&gt;",
                        "2 vCPU AMD EPYC, 23 GiB, Java 17.0.15");
        assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more");
        assertThat(html).doesNotContain("<script", "</script>", "<b>ack</b>");
        assertThat(html).contains("producerAckLatencyMs", "&lt;b&gt;ack&lt;/b&gt;");
        assertThat(html).contains("1,559,874", "950.25", "13,000 records/s");
        assertThat(html).containsPattern("<tr class=\"bad\"><th>Lost</th><td class=\"num\">4</td>");
        // consumerPerfRecordsPerSec is null
        assertThat(html).contains("<th>Kafka consumer-perf</th><td class=\"num\">" + HtmlReport.DASH + "</td>");
        assertThat(html).doesNotContain(HtmlReport.NO_TIMELINE);
        // nothing from the network: no http(s) anywhere, no src/href at all
        assertThat(html).doesNotContainPattern("(?i)https?://");
        assertThat(html).doesNotContainPattern("(?i)\\b(src|href)\\s*=");
        assertThat(html).doesNotContainPattern("(?i)@import|url\\(");
        // one dashed marker per event per chart
        assertThat(count(html, "<g class=\"marker\">")).isEqualTo(6);
    }

    @Test
    void nullsShowAsDashAndAMissingOrEmptyTimelineSaysSo() {
        JsonObject bare = new Report("s<1>", 5).toJson();
        for (JsonObject r : List.of(
                bare,
                bare.copy().put("timeline", new JsonArray()),
                bare.copy()
                        .put("timeline", new JsonArray())
                        .put(
                                "events",
                                new JsonArray().add(new JsonObject().put("t", 1).put("label", "x"))))) {
            String html = HtmlReport.render(r);
            assertThat(html).contains(HtmlReport.NO_TIMELINE, HtmlReport.DASH, "s&lt;1&gt;", "no checks recorded");
            assertThat(html).doesNotContain("<svg", "s<1>");
        }
        assertThat(HtmlReport.render(new JsonObject())).contains(HtmlReport.NO_TIMELINE, "UNKNOWN");
        assertThat(HtmlReport.render(null)).contains(HtmlReport.NO_TIMELINE);
    }

    @Test
    void oddTimelinesRenderWithoutExceptions() {
        JsonObject base = new Report("s", 1).check("a", true, "ok").toJson();
        // one sample
        String one = HtmlReport.render(base.copy()
                .put(
                        "timeline",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("t", 0)
                                        .put("producedPerSec", 5)
                                        .put("deliveredPerSec", 5)
                                        .put("lagRecords", 0))));
        assertThat(count(one, "<svg")).isEqualTo(3);
        assertThat(one).contains("<circle", "no data", "PASSED");
        String odd = HtmlReport.render(sparse());
        assertThat(count(odd, "<svg")).isEqualTo(3);
        assertThat(odd).contains(">30G<", "no data", "lag · max 27G").doesNotContain("NaN", "Infinity");
    }

    @Test
    void theModesOfASideBySideRunAreOneTableWithTheRatios() {
        JsonObject r = new Report("hot-key", 60)
                .check("a", true, "ok")
                .toJson()
                .put(
                        "modes",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("mode", "fixed")
                                        .put("ordering", "key")
                                        .put("deliveredPerSecond", 4_485.2)
                                        .put("latencyP99Ms", 192_000.0)
                                        .put("invocationsPerMillion", 2_441.0)
                                        .put("lost", 0)
                                        .put("duplicates", 0)
                                        .put("orderViolations", 3)
                                        .put("backlogSlopePerSecond", 9_522.0)
                                        .put("hotKeyP99Ms", 192_000.0)
                                        .put("otherKeysP99Ms", 159_600.0)
                                        .put("passed", false))
                                .add(new JsonObject()
                                        .put("mode", "adaptive")
                                        .put("ordering", "key")
                                        .put("deliveredPerSecond", 12_990.0)
                                        .put("latencyP99Ms", 2_400.0)
                                        .put("invocationsPerMillion", 300.0)
                                        .put("lost", 0)
                                        .put("duplicates", 0)
                                        .put("orderViolations", 0)
                                        .put("backlogSlopePerSecond", -3.0)
                                        .put("hotKeyP99Ms", 2_900.0)
                                        .putNull("otherKeysP99Ms")
                                        .put("passed", true)))
                .put("modesBasis", "one run <each>")
                .put(
                        "ratios",
                        new JsonObject()
                                .put("delivered", 2.896)
                                .put("p99", 0.0125)
                                .putNull("invocationsPerMillion"));
        String html = HtmlReport.render(r);

        assertThat(html)
                .contains(
                        "Batch modes side by side", "one run &lt;each&gt;", "Hot key p99 (ms)", "Other keys p99 (ms)");
        assertThat(html).contains("<td>fixed</td><td>key</td><td class=\"num\">4,485.2</td>", "<td>adaptive</td>");
        assertThat(html).contains("<td class=\"num bad\">3</td>", "159,600", "✗ fail");
        assertThat(html)
                .contains(
                        "Adaptive / fixed",
                        "<td>key</td><td class=\"num\">2.896 ×</td><td class=\"num\">0.013 ×</td>"
                                + "<td class=\"num\">" + HtmlReport.DASH + "</td>");
        assertThat(html)
                .as("shown as a table, not again under Details")
                .doesNotContain("<h3>modes</h3>", "<h3>ratios</h3>");
    }

    @Test
    void withoutModesThereIsNoModesTableAndRowsWithoutAHotKeyHaveNoHotColumns() {
        assertThat(HtmlReport.render(sample())).doesNotContain("Batch modes side by side");
        String html = HtmlReport.render(new Report("steady", 60)
                .toJson()
                .put(
                        "modes",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("mode", "fixed")
                                        .put("ordering", "partition")
                                        .put("deliveredPerSecond", 13_000))));
        assertThat(html).contains("Batch modes side by side").doesNotContain("Hot key p99", "Adaptive / fixed");
    }

    @Test
    void niceStepIsOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(SvgChart.niceStep(100, 5)).isEqualTo(20);
        assertThat(SvgChart.niceStep(120, 8)).isEqualTo(20);
        assertThat(SvgChart.niceStep(13_120, 5)).isEqualTo(5_000);
        assertThat(SvgChart.niceStep(1_000_000, 5)).isEqualTo(200_000);
        assertThat(SvgChart.niceStep(7, 5)).isEqualTo(2);
        assertThat(SvgChart.niceStep(10, 10)).isEqualTo(1);
        assertThat(SvgChart.niceStep(0.3, 5)).isCloseTo(0.1, within(1e-12));
        assertThat(SvgChart.niceStep(0.05, 5)).isCloseTo(0.01, within(1e-12));
        assertThat(SvgChart.niceStep(0, 5)).isEqualTo(1);
        assertThat(SvgChart.niceStep(Double.NaN, 5)).isEqualTo(1);
        for (double range : new double[] {0.0007, 3, 42, 999, 12_345, 9.9e9}) {
            double step = SvgChart.niceStep(range, 5);
            double mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
            assertThat(mantissa).isIn(1.0, 2.0, 5.0);
            assertThat(range / step).isBetween(2.0, 10.0);
        }
    }

    @Test
    void tickLabelsUseSeparatorsOrSuffixes() {
        assertThat(SvgChart.tickLabel(1500, 500, 2000)).isEqualTo("1,500");
        assertThat(SvgChart.tickLabel(25_000, 5_000, 30_000)).isEqualTo("25k");
        assertThat(SvgChart.tickLabel(2_500, 500, 30_000)).isEqualTo("2.5k");
        assertThat(SvgChart.tickLabel(1_500_000, 500_000, 2_000_000)).isEqualTo("1.5M");
        assertThat(SvgChart.tickLabel(0, 500_000, 2_000_000)).isEqualTo("0");
        assertThat(SvgChart.tickLabel(0.30000000000000004, 0.1, 1)).isEqualTo("0.3");
        assertThat(SvgChart.tickLabel(6e9, 2e9, 1e10)).isEqualTo("6G");
    }

    /** Writes target/sample-report.html and target/sample-report-sparse.html to look at in a browser. */
    @Test
    void writesASampleToLookAt() throws Exception {
        Path out = Path.of("target", "sample-report.html");
        Files.createDirectories(out.getParent());
        Files.writeString(out, HtmlReport.render(sample()));
        Files.writeString(out.resolveSibling("sample-report-sparse.html"), HtmlReport.render(sparse()));
        assertThat(out).exists();
    }

    private static int count(String s, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
