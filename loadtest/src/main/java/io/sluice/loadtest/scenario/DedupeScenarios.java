package io.sluice.loadtest.scenario;

import io.sluice.loadtest.run.RunSpec;
import io.sluice.locallambda.LocalDedupe;
import java.util.List;

/**
 * {@code consumer-kill} with the function's durable dedupe store on (issue 18): DynamoDB on a dynalite the local
 * endpoint starts, every record claimed ({@code consumer-kill-dedupe}) or only the records Sluice marks as possible
 * redeliveries ({@code consumer-kill-dedupe-suspects}). The report's {@code duplicates} is still what Sluice delivered
 * twice (to the function), {@code downstreamDuplicates} what reached the sink twice (must be 0), and
 * {@code dedupeStoreCallsPerMillion} the store's requests per million acknowledged events. Default rate 13,000/s
 * (--rate to lower it for a slow store).
 */
public final class DedupeScenarios {
    private DedupeScenarios() {}

    public static List<PipelineScenario> all() {
        return List.of(
                consumerKill("consumer-kill-dedupe", false), consumerKill("consumer-kill-dedupe-suspects", true));
    }

    static PipelineScenario consumerKill(String name, boolean onlySuspects) {
        return new PipelineScenario(
                name,
                "consumer-kill (two Sluice processes, one SIGKILLed mid-run) with the function's "
                        + "DynamoDB dedupe store on dynalite" + (onlySuspects ? ", dedupe.onlySuspects" : "")
                        + ": downstream duplicates = 0; store calls per million",
                o -> {
                    int seconds = o.durationOr(60);
                    RunSpec spec = EndToEndScenarios.base(name, o, 13_000, seconds)
                            .processes(2)
                            .dedupe(LocalDedupe.dynamoDb(null, onlySuspects))
                            .driver(RunSpec.Driver.at(
                                    seconds / 2,
                                    "SIGKILL sluice-2",
                                    ctx -> ctx.processes().get(1).kill()))
                            .build();
                    return new PipelineScenario.Prepared(spec, (s, out, r) -> {
                        Long downstream = r.toJson().getLong("downstreamDuplicates");
                        r.check(
                                "downstream duplicates = 0",
                                downstream != null && downstream == 0,
                                downstream + " events reached the sink twice; Sluice delivered " + out.duplicates()
                                        + " twice to the function");
                        Double calls = r.toJson().getDouble("dedupeStoreCallsPerMillion");
                        r.check(
                                "dedupe store used",
                                calls != null && calls > 0,
                                calls + " store calls per million events");
                    });
                });
    }
}
