package io.sluice.loadtest.run;

import io.sluice.embedded.EmbeddedKafkaCluster;
import io.sluice.locallambda.FaultInjection;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/** What a {@link RunSpec.Driver} can see and do while the load runs (all on the runner thread). */
public interface RunContext {

    /** Seconds since the load started. */
    double elapsedSeconds();

    /** Puts a labelled marker on the timeline (and in the log). */
    void mark(String label);

    /**
     * Runs {@code action} on the run's background lane (one task after another, off the runner thread so
     * sampling goes on): for slow steps such as restarting a broker or a Sluice process. The load's end
     * waits for the lane (bounded) before the drain. A failure fails the run.
     */
    void inBackground(String label, RunSpec.Action action);

    /** Changes the input rate (events/s) from now on. */
    void rate(double perSecond);

    double rate();

    RunSpec spec();

    Timeline timeline();

    EmbeddedKafkaCluster cluster();

    Admin admin();

    String inputTopic();

    /** The dispatcher function's fault switchboard on the local Lambda endpoint. */
    FaultInjection lambdaFaults();

    /** The Sluice processes, in start order. */
    List<SluiceProcess> processes();

    /** The partition of a hot key of the input ({@link InputPacer#sampleHotKey()}). */
    int hotPartition() throws Exception;

    /** The broker node id leading {@code partition} of the input topic. */
    int leaderOf(int partition) throws Exception;

    /** Grows the input topic to {@code total} partitions. */
    void increasePartitions(int total) throws Exception;
}
