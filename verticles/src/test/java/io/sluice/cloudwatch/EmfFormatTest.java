package io.sluice.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lines against the Embedded Metric Format specification's required fields: a root {@code _aws} object with an
 * integer {@code Timestamp} (ms) and a {@code CloudWatchMetrics} array of directives, each with a {@code Namespace}
 * string, {@code Dimensions} (an array of dimension sets, each an array of at most 30 strings naming root members
 * whose values are strings) and {@code Metrics} (at most 100 objects with a {@code Name} naming a root member whose
 * value is a number, and a {@code Unit}).
 */
@Timeout(10)
class EmfFormatTest {

    /** Asserts {@code line} is a valid EMF document and answers its metric values by name. */
    static Map<String, Object> valid(String line) {
        JsonObject doc = new JsonObject(line);
        JsonObject aws = doc.getJsonObject("_aws");
        assertThat(aws).as("_aws").isNotNull();
        assertThat(aws.getValue("Timestamp")).isInstanceOfAny(Integer.class, Long.class);
        JsonArray directives = aws.getJsonArray("CloudWatchMetrics");
        assertThat(directives).isNotEmpty();
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        for (Object o : directives) {
            JsonObject d = (JsonObject) o;
            assertThat(d.getString("Namespace")).isNotBlank();
            for (Object set : d.getJsonArray("Dimensions")) {
                JsonArray dims = (JsonArray) set;
                assertThat(dims.size()).isLessThanOrEqualTo(30);
                for (Object dim : dims) {
                    assertThat(doc.getValue((String) dim))
                            .as("dimension " + dim)
                            .isInstanceOf(String.class);
                }
            }
            JsonArray metrics = d.getJsonArray("Metrics");
            assertThat(metrics.size()).isBetween(1, 100);
            for (Object m : metrics) {
                JsonObject md = (JsonObject) m;
                assertThat(md.getString("Unit")).isNotBlank();
                Object v = doc.getValue(md.getString("Name"));
                assertThat(v).as("metric " + md.getString("Name")).isInstanceOf(Number.class);
                values.put(md.getString("Name"), v);
            }
        }
        return values;
    }

    @Test
    void samplesWithTheSameDimensionsShareALineAndEachLineIsValidEmf() {
        List<String> lines = EmfFormat.lines(
                "Sluice",
                1_700_000_000_000L,
                List.of(
                        new EmfFormat.Sample("sluice.a", Map.of("pipeline", "standard"), 3, "Count"),
                        new EmfFormat.Sample("sluice.b", Map.of("pipeline", "standard"), 1.5, "Milliseconds"),
                        new EmfFormat.Sample("sluice.c", Map.of("pipeline", "other", "outcome", "ok"), 7, "Count"),
                        new EmfFormat.Sample("sluice.nan", Map.of(), Double.NaN, "None")));
        assertThat(lines).hasSize(2);
        assertThat(valid(lines.get(0))).containsExactlyInAnyOrderEntriesOf(Map.of("sluice.a", 3.0, "sluice.b", 1.5));
        JsonObject second = new JsonObject(lines.get(1));
        assertThat(second.getString("outcome")).isEqualTo("ok");
        assertThat(second.getJsonObject("_aws")
                        .getJsonArray("CloudWatchMetrics")
                        .getJsonObject(0)
                        .getJsonArray("Dimensions")
                        .getJsonArray(0)
                        .getList())
                .containsExactly("outcome", "pipeline");
        assertThat(second.getJsonObject("_aws").getLong("Timestamp")).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void moreThanAHundredMetricsAreSplitAcrossLines() {
        List<EmfFormat.Sample> many = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            many.add(new EmfFormat.Sample("sluice.m" + i, Map.of(), i, "Count"));
        }
        List<String> lines = EmfFormat.lines("Sluice", 1L, many);
        assertThat(lines).hasSize(3);
        int total = 0;
        for (String l : lines) {
            total += valid(l).size();
        }
        assertThat(total).isEqualTo(250);
    }

    @Test
    void countersAreSentAsTheirIncreaseSinceTheLastRead() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Counter c = Counter.builder("sluice.delivered").tag("pipeline", "p").register(registry);
        AtomicInteger depth = new AtomicInteger(4);
        Gauge.builder("sluice.depth", depth, AtomicInteger::get).register(registry);
        Timer t = Timer.builder("sluice.invoke").register(registry);
        Counter.builder("jvm.other").register(registry).increment();
        MeterSamples samples = new MeterSamples(List.of("sluice."));
        c.increment(5);
        t.record(Duration.ofMillis(20));
        Map<String, Object> first = values(EmfFormat.lines("Sluice", 1L, samples.read(registry)));
        assertThat(first)
                .containsEntry("sluice.delivered", 5.0)
                .containsEntry("sluice.depth", 4.0)
                .containsEntry("sluice.invoke.count", 1.0)
                .containsEntry("sluice.invoke.sum", 20.0)
                .doesNotContainKey("jvm.other");
        c.increment(2);
        depth.set(9);
        Map<String, Object> second = values(EmfFormat.lines("Sluice", 2L, samples.read(registry)));
        assertThat(second)
                .containsEntry("sluice.delivered", 2.0)
                .containsEntry("sluice.depth", 9.0)
                .containsEntry("sluice.invoke.count", 0.0);
    }

    private static Map<String, Object> values(List<String> lines) {
        Map<String, Object> all = new java.util.HashMap<>();
        lines.forEach(l -> all.putAll(valid(l)));
        return all;
    }
}
