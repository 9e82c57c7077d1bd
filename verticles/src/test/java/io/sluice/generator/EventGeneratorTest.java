package io.sluice.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventGeneratorTest {

    private static final long NOW = 1_700_000_000_000L;

    private static GeneratorSettings settings(String json) {
        return GeneratorSettings.fromJson(new JsonObject(json), "generator");
    }

    @Test
    void eventHasTheDocumentedCoreFields() {
        EventGenerator generator =
                new EventGenerator(settings("{\"codes\":{\"301\":1},\"trucks\":1}"), new SplittableRandom(1), "run1");

        JsonObject event = generator.next(NOW);

        assertThat(event.getString("eventId")).isEqualTo("run1-1");
        assertThat(event.getInteger("code")).isEqualTo(301);
        assertThat(event.getString("truckId")).isEqualTo("T-00001");
        assertThat(event.getLong("timestamp")).isEqualTo(NOW);
        assertThat(event.getLong("seq")).isEqualTo(1);
        assertThat(event.fieldNames()).contains("speedKmh", "lat", "lon");
        assertThat(event.getValue("code")).isInstanceOf(Integer.class);
    }

    @Test
    void eventIdsAreUniqueAndCountUp() {
        EventGenerator generator = new EventGenerator(GeneratorSettings.defaults(), new SplittableRandom(2), "abc");
        Set<String> ids = new HashSet<>();
        for (int i = 1; i <= 10_000; i++) {
            assertThat(generator.next(NOW).getString("eventId")).isEqualTo("abc-" + i);
        }
        for (int i = 0; i < 10_000; i++) {
            ids.add(generator.next(NOW).getString("eventId"));
        }
        assertThat(ids).hasSize(10_000);
        assertThat(generator.generated()).isEqualTo(20_000);
    }

    @Test
    void defaultPrefixIsAConfiguredOrRandomRunId() {
        EventGenerator configured =
                new EventGenerator(settings("{\"eventIdPrefix\":\"load-1\"}"), new SplittableRandom(1));
        EventGenerator a = new EventGenerator(GeneratorSettings.defaults(), new SplittableRandom(1));
        EventGenerator b = new EventGenerator(GeneratorSettings.defaults(), new SplittableRandom(2));

        assertThat(configured.eventIdPrefix()).isEqualTo("load-1");
        assertThat(a.eventIdPrefix()).matches("[a-z0-9]{8}");
        assertThat(a.eventIdPrefix()).isNotEqualTo(b.eventIdPrefix());
        assertThat(a.next(NOW).getString("eventId")).startsWith(a.eventIdPrefix() + "-");
        assertThatThrownBy(() -> new EventGenerator(GeneratorSettings.defaults(), new SplittableRandom(1), "a b"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void seqCountsPerCodeAndTruckKeyFromOne() {
        EventGenerator generator = new EventGenerator(
                settings("{\"trucks\":20,\"codes\":{\"300\":1,\"400\":1}}"), new SplittableRandom(3), "s");
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            JsonObject event = generator.next(NOW + i);
            String key = event.getInteger("code") + ":" + event.getString("truckId");
            long next = expected.merge(key, 1L, Long::sum);
            assertThat(event.getLong("seq")).as("seq of %s", key).isEqualTo(next);
        }
        assertThat(expected).hasSize(40); // every code x truck pair showed up
        assertThat(generator.distinctKeys()).isEqualTo(40);
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 200, 300, 1024, 4096})
    void serializedSizeIsWithinFifteenPercentOfTheTarget(int payloadBytes) {
        EventGenerator generator = new EventGenerator(
                settings("{\"payloadBytes\":" + payloadBytes + "}"), new SplittableRandom(payloadBytes), "k3x9q2ab");
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i = 0; i < 2_000; i++) {
            int size = generator.next(NOW + i).toBuffer().length();
            min = Math.min(min, size);
            max = Math.max(max, size);
        }
        assertThat(min).isGreaterThanOrEqualTo((int) Math.floor(payloadBytes * 0.85));
        assertThat(max).isLessThanOrEqualTo((int) Math.ceil(payloadBytes * 1.15));
    }

    @Test
    void sizeStaysOnTargetWithLargeCountersAndLongIds() {
        EventGenerator generator = new EventGenerator(
                settings("{\"payloadBytes\":200,\"trucks\":1000000}"),
                new SplittableRandom(9),
                "a-rather-long-prefix-0123456789");
        for (int i = 0; i < 20_000; i++) {
            generator.next(NOW);
        }
        JsonObject event = generator.next(NOW);

        assertThat(event.getString("truckId")).matches("T-\\d{7}");
        assertThat(event.toBuffer().length()).isBetween(170, 230);
    }

    @Test
    void codesFollowTheWeightsAndZeroWeightIsNeverDrawn() {
        EventGenerator generator = new EventGenerator(
                settings("{\"codes\":{\"300\":1,\"301\":0,\"400\":3}}"), new SplittableRandom(4), "w");
        Map<Integer, Integer> counts = new HashMap<>();
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            counts.merge(generator.next(NOW).getInteger("code"), 1, Integer::sum);
        }

        assertThat(counts).doesNotContainKey(301);
        assertThat(counts.get(400) / (double) n).isCloseTo(0.75, within(0.01));
        assertThat(counts.get(300) / (double) n).isCloseTo(0.25, within(0.01));
    }

    @Test
    void trucksFollowTheParetoShares() {
        EventGenerator generator = new EventGenerator(settings("{\"trucks\":1000}"), new SplittableRandom(5), "p");
        int hot = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            String truckId = generator.next(NOW).getString("truckId");
            if (Integer.parseInt(truckId.substring(2)) <= 200) { // T-00001..T-00200 are the hot 20%
                hot++;
            }
        }
        assertThat(hot / (double) n).isCloseTo(0.8, within(0.01));
    }

    @Test
    void sameSeedAndPrefixGiveTheSameStream() {
        EventGenerator a = new EventGenerator(GeneratorSettings.defaults(), new SplittableRandom(77), "x");
        EventGenerator b = new EventGenerator(GeneratorSettings.defaults(), new SplittableRandom(77), "x");
        for (int i = 0; i < 100; i++) {
            assertThat(a.next(NOW + i)).isEqualTo(b.next(NOW + i));
        }
    }

    @Test
    void truckIdsAreZeroPaddedAndOneBased() {
        EventGenerator generator = new EventGenerator(GeneratorSettings.defaults(), new SplittableRandom(1), "t");

        assertThat(generator.truckId(41)).isEqualTo("T-00042");
        assertThat(generator.truckId(0)).isEqualTo("T-00001");
        assertThat(generator.truckId(4999)).isEqualTo("T-05000");
    }

    @Test
    void eventsAreIndependentObjects() {
        EventGenerator generator = new EventGenerator(GeneratorSettings.defaults(), new SplittableRandom(1), "t");
        JsonObject first = generator.next(NOW);
        String firstId = first.getString("eventId");

        generator.next(NOW).put("eventId", "changed");

        assertThat(first.getString("eventId")).isEqualTo(firstId);
    }
}
