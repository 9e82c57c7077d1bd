package io.sluice.launcher.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard in real headless Chromium (Debian's {@code chromium}, driven by npm {@code playwright-core}
 * from {@code src/test/browser/}): rates and lag render and move, the batching figures (records, partitions
 * and lanes per invocation, fill times, invocations per second, mode and its wait setting) and the lanes with
 * the largest backlog show plausible values, strings from the API render as text (a faked status carrying
 * markup), clicking Pause pauses the consumer (checked in {@code /api/status} by the page and here), and a
 * screenshot is saved to
 * {@code target/screenshots/dashboard.png}. Skipped, with the reason, when Chromium, Node or the npm
 * package is not installed ({@code .ci/run} installs them).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BrowserDashboardIT {
    private static final Path BROWSER_DIR = Path.of("src", "test", "browser").toAbsolutePath();
    private static AdminTestSupport s;

    @BeforeAll
    static void start() throws Exception {
        String chromium = System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium");
        skipUnless(
                Files.isExecutable(Path.of(chromium)),
                "Chromium not found at " + chromium + " (apt-get install -y chromium, or set CHROMIUM_PATH)");
        skipUnless(onPath("node"), "node is not on the PATH (apt-get install -y nodejs npm)");
        skipUnless(
                Files.isDirectory(BROWSER_DIR.resolve("node_modules").resolve("playwright-core")),
                "playwright-core is not installed (npm ci --prefix " + BROWSER_DIR + ")");
        JsonObject conf = AdminTestSupport.config(1500, 1000, 10);
        s = AdminTestSupport.start(conf);
        // a function with realistic latency, so the dashboard shows lag and latency percentiles
        s.sluice.localLambda().faults("dispatcher").latencyDistribution(40, 250);
        s.awaitDelivering();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s != null) {
            s.close();
        }
    }

    private static void skipUnless(boolean ok, String reason) {
        if (!ok) {
            System.out.println("BrowserDashboardIT skipped: " + reason);
        }
        assumeTrue(ok, reason);
    }

    private static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void dashboardRendersMovesAndPauses() throws Exception {
        Path shot = Path.of("target", "screenshots", "dashboard.png").toAbsolutePath();
        Files.createDirectories(shot.getParent());
        Files.deleteIfExists(shot);
        Process node = new ProcessBuilder(
                        "node",
                        BROWSER_DIR.resolve("dashboard.test.mjs").toString(),
                        s.base(),
                        AdminTestSupport.TOKEN,
                        shot.toString())
                .directory(BROWSER_DIR.toFile())
                .redirectErrorStream(true)
                .start();
        CompletableFuture<List<String>> output = CompletableFuture.supplyAsync(() -> lines(node));
        boolean exited = node.waitFor(180, TimeUnit.SECONDS);
        if (!exited) {
            node.destroyForcibly();
        }
        List<String> out = output.get(10, TimeUnit.SECONDS);
        out.forEach(l -> System.out.println("[browser] " + l));
        assertThat(exited).as("browser script finished in time").isTrue();
        assertThat(node.exitValue()).as(String.join("\n", out)).isZero();

        JsonObject partitions = step(out, "partitions");
        assertThat(partitions.getInteger("count")).isEqualTo(16);
        JsonObject rates = step(out, "rates");
        assertThat(rates.getDouble("produced")).isPositive();
        assertThat(rates.getDouble("delivered")).isPositive();
        assertThat(step(out, "moved")).isNotEqualTo(rates);
        assertBatching(step(out, "batching"));
        assertHotKeys(step(out, "hotkeys"));
        JsonObject escaping = step(out, "escaping");
        assertThat(escaping.getJsonArray("injected"))
                .as("elements injected by API strings")
                .isEmpty();
        assertThat(escaping.getBoolean("ok")).as(escaping.encode()).isTrue();
        assertThat(step(out, "paused").getBoolean("paused")).isTrue();
        assertThat(step(out, "done").getBoolean("ok")).isTrue();

        // the click went through the admin API: the consumer is paused for the manual reason
        JsonObject p = s.pipelineStatus();
        assertThat(p.getBoolean("paused")).isTrue();
        assertThat(p.getJsonArray("pauseReasons").getList()).contains("manual");
        assertThat(shot).exists();
        assertThat(Files.size(shot)).isGreaterThan(10_000);
    }

    /**
     * The hot-keys panel: the generator's hot truck ({@code T-00001}) makes the top key of some partitions, on both
     * sides; at most ten rows, largest share first.
     */
    private static void assertHotKeys(JsonObject h) {
        var rows = h.getJsonArray("rows");
        assertThat(rows.size()).isBetween(2, 10);
        assertThat(rows.stream().map(r -> ((JsonObject) r).getString("side")))
                .contains("producer", "consumer standard");
        double previous = 1.0;
        for (int i = 0; i < rows.size(); i++) {
            JsonObject r = rows.getJsonObject(i);
            assertThat(r.getString("side")).isIn("producer", "consumer standard");
            assertThat(r.getString("tp")).matches("mt-c(300|400)-\\d+");
            assertThat(r.getString("key")).matches("\\d{3}:.+");
            assertThat(r.getDouble("share")).isGreaterThan(0.0).isLessThanOrEqualTo(previous);
            assertThat(r.getString("text")).contains(r.getString("key"));
            previous = r.getDouble("share");
        }
    }

    /** The batching panel of the one adaptive pipeline under load (local.json: 8 lanes, maxWaitMs 100 here). */
    private static void assertBatching(JsonObject b) {
        assertThat(b.getJsonArray("pipelines")).hasSize(1);
        JsonObject p = b.getJsonArray("pipelines").getJsonObject(0);
        assertThat(p.getString("pipeline")).isEqualTo("standard");
        assertThat(p.getString("mode")).isEqualTo("adaptive");
        assertThat(p.getString("text")).contains("mode adaptive · max wait 100 ms");
        assertThat(p.getDouble("meanRecords")).isPositive();
        assertThat(p.getDouble("invocationsPerSecond")).isPositive();
        assertThat(p.getDouble("meanPartitions")).isGreaterThanOrEqualTo(1.0);
        assertThat(p.getDouble("meanLanes")).isGreaterThanOrEqualTo(p.getDouble("meanPartitions"));
        assertThat(p.getDouble("meanFillMs")).isGreaterThanOrEqualTo(0.0).isLessThanOrEqualTo(p.getDouble("maxFillMs"));
        // one pipeline: the card's invocation-weighted mean is that pipeline's mean
        assertThat(b.getDouble("batchCard"))
                .isCloseTo(p.getDouble("meanRecords"), org.assertj.core.data.Offset.offset(0.01));
        assertThat(b.getString("title")).contains("standard: partition, batch mode adaptive · max wait 100 ms");
        var backlogs = b.getJsonArray("backlogs");
        assertThat(backlogs.size()).isBetween(1, 5);
        for (int i = 0; i < backlogs.size(); i++) {
            JsonObject l = backlogs.getJsonObject(i);
            assertThat(l.getString("topicPartition")).matches("mt-c(300|400)-\\d+");
            assertThat(l.getInteger("lane")).isBetween(0, 7);
            assertThat(l.getInteger("queued")).isPositive();
            assertThat(l.getString("inFlight")).isIn("yes", "no");
            assertThat(l.getLong("oldestWaitMs")).isNotNegative();
        }
    }

    private static JsonObject step(List<String> out, String name) {
        for (String l : out) {
            if (l.startsWith("{")) {
                JsonObject o = new JsonObject(l);
                if (name.equals(o.getString("step"))) {
                    o.remove("step");
                    return o;
                }
            }
        }
        throw new AssertionError("the browser script printed no '" + name + "' step:\n" + String.join("\n", out));
    }

    private static List<String> lines(Process p) {
        List<String> out = new ArrayList<>();
        try (var r =
                new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                out.add(l);
            }
        } catch (IOException e) {
            out.add("(reading the output failed: " + e + ")");
        }
        return out;
    }
}
