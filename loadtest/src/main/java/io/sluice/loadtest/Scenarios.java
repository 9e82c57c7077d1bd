package io.sluice.loadtest;

import io.sluice.loadtest.scenario.EndToEndScenarios;
import io.sluice.loadtest.scenario.HotKeyScenarios;
import io.sluice.loadtest.scenario.ProducerBaselineScenario;
import io.sluice.loadtest.scenario.ProducerSpoolScenarios;
import io.sluice.loadtest.scenario.SlowLambdaScenario;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The scenario registry: add a line to {@link #ALL} for a new scenario. */
public final class Scenarios {
    private static final Map<String, Supplier<Scenario>> ALL = new LinkedHashMap<>();

    static {
        register(ProducerBaselineScenario.NAME, ProducerBaselineScenario::new);
        register(SlowLambdaScenario.NAME, SlowLambdaScenario::new);
        EndToEndScenarios.all().forEach(s -> register(s.name(), () -> s));
        HotKeyScenarios.all().forEach(s -> register(s.name(), () -> s));
        io.sluice.loadtest.scenario.DedupeScenarios.all().forEach(s -> register(s.name(), () -> s));
        ProducerSpoolScenarios.all().forEach(s -> register(s.name(), () -> s));
    }

    private Scenarios() {}

    static void register(String name, Supplier<Scenario> factory) {
        if (ALL.putIfAbsent(name, factory) != null) {
            throw new IllegalStateException("scenario registered twice: " + name);
        }
    }

    public static Optional<Scenario> byName(String name) {
        return Optional.ofNullable(ALL.get(name)).map(Supplier::get);
    }

    public static Map<String, Supplier<Scenario>> all() {
        return java.util.Collections.unmodifiableMap(ALL);
    }
}
