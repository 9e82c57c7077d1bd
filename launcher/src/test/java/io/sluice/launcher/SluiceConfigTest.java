package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConfigException;
import io.sluice.record.Ordering;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SluiceConfigTest {
    @Test
    void shippedLocalConfigIsValid() {
        SluiceConfig c = SluiceConfig.fromJson(TestConfigs.local());
        assertThat(c.embedded().enabled()).isTrue();
        assertThat(c.pipelines()).singleElement().satisfies(p -> {
            assertThat(p.batch().mode()).isEqualTo(io.sluice.batch.BatchSettings.Mode.ADAPTIVE);
            assertThat(p.batch().maxRecords()).isEqualTo(20_000);
            assertThat(p.ordering()).isEqualTo(Ordering.PARTITION);
        });
        assertThat(c.producer().router().route(301)).contains("mt-c300");
        assertThat(c.producer().router().route(400)).contains("mt-c400");
        assertThat(c.kafka().topics()).extracting(t -> t.name()).contains("mt-c400", "mt-c300", "sluice-dlq");
    }

    @Test
    void errorsNameTheKeyAndTheAllowedValues() {
        JsonObject c = TestConfigs.local();
        c.getJsonArray("pipelines").getJsonObject(0).getJsonObject("inFlight").put("resumeRatio", 2);
        assertThatThrownBy(() -> SluiceConfig.fromJson(c))
                .isInstanceOf(ConfigException.class)
                .hasMessage("pipelines[0].inFlight.resumeRatio: must be between 0 and 1, got 2.0");
    }

    @Test
    void externalModeNeedsBootstrapServers() {
        JsonObject c = TestConfigs.local();
        c.getJsonObject("embedded").put("enabled", false);
        assertThatThrownBy(() -> SluiceConfig.fromJson(c))
                .hasMessageStartingWith("kafka.bootstrapServers: is required");
    }

    @Test
    void duplicatePipelineNamesAreRejected() {
        JsonObject c = TestConfigs.local();
        JsonArray ps = c.getJsonArray("pipelines");
        ps.add(ps.getJsonObject(0).copy());
        assertThatThrownBy(() -> SluiceConfig.fromJson(c)).hasMessageContaining("pipelines[1].name: must be unique");
    }

    @Test
    void aBatchKeyOfTheOtherModeIsNamedAsSuch() {
        JsonObject conf = TestConfigs.local();
        conf.getJsonArray("pipelines").getJsonObject(0).getJsonObject("batch").put("lingerMs", 200);
        assertThatThrownBy(() -> SluiceConfig.fromJson(conf))
                .hasMessage(
                        "pipelines[0].batch.lingerMs: applies to "
                                + "batch.mode \"fixed\" only; this pipeline's mode is \"adaptive\" (use maxWaitMs, or set \"mode\": \"fixed\")");
        conf.getJsonArray("pipelines").getJsonObject(0).getJsonObject("batch").remove("maxWaitMs");
        conf.getJsonArray("pipelines").getJsonObject(0).getJsonObject("batch").put("mode", "fixed");
        assertThat(SluiceConfig.fromJson(conf).pipelines().get(0).batch().lingerMs())
                .isEqualTo(200);
    }

    @Test
    void environmentAndSystemPropertyOverridesReachNestedKeys() {
        JsonObject base = TestConfigs.local();
        JsonObject out = ConfigOverrides.apply(
                base,
                Map.of(
                        "SLUICE_GENERATOR__RATE",
                        "2500",
                        "SLUICE_PIPELINES__0__LAMBDA__FUNCTION_NAME",
                        "prod-fn",
                        "PATH",
                        "/usr/bin"),
                Map.of("sluice.pipelines.0.batch.maxWaitMs", "250", "java.version", "17"));
        SluiceConfig c = SluiceConfig.fromJson(out);
        assertThat(c.generator().rate()).isEqualTo(2500);
        assertThat(c.pipelines().get(0).lambda().functionName()).isEqualTo("prod-fn");
        assertThat(c.pipelines().get(0).batch().maxWaitMs()).isEqualTo(250);
        assertThat(base.getJsonObject("generator").getInteger("rate"))
                .as("base untouched")
                .isEqualTo(1000);
    }

    @Test
    void anEnvironmentOverrideNamingNoKeyFailsClearly() {
        assertThatThrownBy(() ->
                        ConfigOverrides.apply(TestConfigs.local(), Map.of("SLUICE_GENERATOR__RAET", "1"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SLUICE_GENERATOR__RAET")
                .hasMessageContaining("'RAET'");
    }

    @Test
    void jsonValuedOverridesAreParsed() {
        JsonObject out = ConfigOverrides.apply(
                TestConfigs.local(), Map.of(), Map.of("sluice.pipelines.0.topics", "[\"mt-c400\"]"));
        assertThat(SluiceConfig.fromJson(out).pipelines().get(0).topics()).containsExactly("mt-c400");
    }

    /**
     * The jars' paths that the build hands the ITs ({@code -Dsluice.jar}, {@code -Dsluice.ec2.jar}) are not config
     * paths: a command or a Sluice started in an IT's JVM read {@code sluice.ec2.jar} as the key {@code ec2} and
     * refused the config ("ec2: unknown key"), seen in PartitionsIncreaseIT.
     */
    @Test
    void theJarPathPropertiesAreNotConfigOverrides() {
        JsonObject out = ConfigOverrides.apply(
                TestConfigs.local(),
                Map.of(),
                Map.of("sluice.jar", "/x/sluice.jar", "sluice.ec2.jar", "/x/sluice-ec2.jar"));
        assertThat(out).isEqualTo(TestConfigs.local());
        assertThat(SluiceConfig.fromJson(out).pipelines()).hasSize(1);
    }
}
