package io.sluice.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The short versions of the fault scenarios, so CI guards "lost = 0": each runs the real thing (embedded
 * brokers, Sluice child processes from the shaded jar, the local Lambda and sink) compressed to a short load
 * at a modest rate, and must pass its own checks. Each is bounded at 150 s of wall time.
 */
class FaultScenariosIT {

    @ParameterizedTest(name = "{0} for {1} s at {2}/s")
    @CsvSource({
        "lambda-errors, 20, 3000",
        "lambda-outage, 30, 3000",
        "poison, 15, 3000",
        "consumer-kill, 20, 3000",
        "broker-kill, 30, 3000",
        "partition-increase, 20, 3000",
        "rolling-restart, 30, 3000",
    })
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shortFaultScenarioLosesNothingAndPassesItsChecks(String name, int seconds, int rate) throws Exception {
        Path out = Path.of("target", "loadtest-it", name);
        RunOptions options = RunOptions.parse(new String[] {
            "--scenario",
            name,
            "--duration",
            Integer.toString(seconds),
            "--rate",
            Integer.toString(rate),
            "--out",
            out.toString()
        });
        Scenario scenario = Scenarios.byName(name).orElseThrow();

        int code = LoadTestMain.run(scenario, options);

        JsonObject report = new JsonObject(Files.readString(out.resolve("report.json")));
        assertThat(report.getLong("producedAccepted")).as("events accepted").isGreaterThan((long) rate * seconds / 2);
        assertThat(report.getLong("lost"))
                .as("lost, report: %s", report.getJsonArray("checks"))
                .isZero();
        assertThat(report.getLong("deliveredUnique") + report.getLong("inDlq"))
                .isGreaterThanOrEqualTo(report.getLong("producedAccepted"));
        assertThat(report.getBoolean("passed"))
                .as("checks: %s", report.getJsonArray("checks").encodePrettily())
                .isTrue();
        assertThat(code).isZero();
        assertThat(Files.readString(out.resolve("report.html"))).contains("<svg", name);
    }
}
