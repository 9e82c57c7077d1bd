package io.sluice.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.lambda.route.RouteTable;
import io.sluice.lambda.route.TargetSpec;
import io.sluice.lambda.route.UnknownCodePolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTableTest {

    @Test
    void readsTheFixture() {
        RouteTable t = RouteTable.fromJson(Fixtures.text("routes-basic.json"), Dispatcher.MAPPER);

        assertThat(t.targets()).containsOnlyKeys("sink", "audit");
        TargetSpec sink = t.targets().get("sink");
        assertThat(sink.type()).isEqualTo(TargetSpec.Type.HTTP);
        assertThat(sink.url()).hasToString("http://127.0.0.1:1/events");
        assertThat(sink.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(t.targets().get("audit").type()).isEqualTo(TargetSpec.Type.LOG);
        assertThat(t.targetsFor(301)).contains(List.of("sink"));
        assertThat(t.targetsFor(302)).contains(List.of("sink", "audit"));
        assertThat(t.targetsFor(999)).isEmpty();
        assertThat(t.unknownCodePolicy()).isEqualTo(UnknownCodePolicy.INVALID);
    }

    @Test
    void unknownCodesGoToTheDefaultWhenThePolicySaysSo() {
        RouteTable t = RouteTable.fromJson(
                "{\"targets\":{\"a\":{\"type\":\"log\"},\"b\":{\"type\":\"log\"}},"
                        + "\"routes\":{\"301\":[\"a\"]},\"default\":[\"b\"]}",
                Dispatcher.MAPPER);

        assertThat(t.unknownCodePolicy()).isEqualTo(UnknownCodePolicy.DEFAULT);
        assertThat(t.targetsFor(301)).contains(List.of("a"));
        assertThat(t.targetsFor(5)).contains(List.of("b"));
        assertThat(t.targets().get("a").timeout()).isNull();
    }

    @Test
    void dropPolicyRoutesNothing() {
        RouteTable t = RouteTable.fromJson(
                "{\"targets\":{\"a\":{\"type\":\"log\"}},\"routes\":{\"1\":[\"a\"]}," + "\"unknownCode\":\"drop\"}",
                Dispatcher.MAPPER);

        assertThat(t.unknownCodePolicy()).isEqualTo(UnknownCodePolicy.DROP);
        assertThat(t.targetsFor(2)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[]|route table must be a JSON object",
                "{\"targets\":{}}|'targets' must be a non-empty object",
                "{\"targets\":{\"a\":{\"type\":\"log\"}},\"oops\":1}|unknown field 'oops'",
                "{\"targets\":{\"a\":{\"type\":\"ftp\"}}}|targets.a.type must be \"http\" or \"log\"",
                "{\"targets\":{\"a\":{\"type\":\"http\",\"url\":\"/relative\"}}}|targets.a.url must be an absolute http(s) URL",
                "{\"targets\":{\"a\":{\"type\":\"http\",\"url\":\"http://h/x\",\"timeoutMs\":0}}}|targets.a.timeoutMs must be an integer in 1..900000",
                "{\"targets\":{\"a\":{\"type\":\"log\"}},\"routes\":{\"x\":[\"a\"]}}|routes key 'x' must be an integer code",
                "{\"targets\":{\"a\":{\"type\":\"log\"}},\"routes\":{\"1\":[\"b\"]}}|routes.1 names unknown target 'b'",
                "{\"targets\":{\"a\":{\"type\":\"log\"}},\"routes\":{\"1\":[]}}|routes.1 must name at least one target",
                "{\"targets\":{\"a\":{\"type\":\"log\"}},\"unknownCode\":\"default\"}|needs a non-empty 'default'",
                "{\"targets\":{\"a\":{\"type\":\"log\"}},\"unknownCode\":\"retry\"}|must be one of default, invalid, drop"
            })
    void rejectsBadTablesNamingTheField(String caseSpec) {
        String[] parts = caseSpec.split("\\|");
        assertThatThrownBy(() -> RouteTable.fromJson(parts[0], Dispatcher.MAPPER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(parts[1]);
    }

    @Test
    void configFromEnvironmentNamesTheVariable() {
        assertThatThrownBy(() -> DispatcherConfig.fromEnvironment(Map.of(), Map.of(), Dispatcher.MAPPER))
                .hasMessageContaining("SLUICE_ROUTES is required");
        assertThatThrownBy(() ->
                        DispatcherConfig.fromEnvironment(Map.of("SLUICE_ROUTES", "{}"), Map.of(), Dispatcher.MAPPER))
                .hasMessageStartingWith("SLUICE_ROUTES: ");
        String routes = Fixtures.text("routes-basic.json");
        assertThatThrownBy(() -> DispatcherConfig.fromEnvironment(
                        Map.of("SLUICE_ROUTES", routes, "SLUICE_DEDUPE_CAPACITY", "-1"), Map.of(), Dispatcher.MAPPER))
                .hasMessageContaining("SLUICE_DEDUPE_CAPACITY must be in 0..10000000");
        DispatcherConfig fromProps = DispatcherConfig.fromEnvironment(
                Map.of(), Map.of("sluice.routes", routes, "sluice.deadline.margin.ms", "250"), Dispatcher.MAPPER);
        assertThat(fromProps.deadlineMargin()).isEqualTo(Duration.ofMillis(250));
        assertThat(fromProps.dedupeCapacity()).isEqualTo(100_000);
    }
}
