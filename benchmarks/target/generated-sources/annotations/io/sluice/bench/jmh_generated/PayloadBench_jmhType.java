package io.sluice.bench.jmh_generated;
public class PayloadBench_jmhType extends PayloadBench_jmhType_B3 {
}

