package io.sluice.bench.jmh_generated;
public class HotPathBench_jmhType extends HotPathBench_jmhType_B3 {
}

