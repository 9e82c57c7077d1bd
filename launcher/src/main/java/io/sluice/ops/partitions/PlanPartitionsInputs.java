package io.sluice.ops.partitions;

/** Which of the plan's inputs came from options rather than from the instance, for the report. */
record PlanPartitionsInputs(
        boolean p99Given, boolean batchGiven, boolean hotShareGiven, boolean capacityGiven, String kafkaSource) {}
