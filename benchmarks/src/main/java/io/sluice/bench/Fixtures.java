package io.sluice.bench;

import io.sluice.record.InRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Records shaped like the load runner's: ~230-byte telemetry JSON, key code:truck, one id header, 12 partitions. */
final class Fixtures {
    static final int RECORDS = 1_900; // one steady-state invocation at 13,000 msg/s and ~150 ms round trips

    private Fixtures() {}

    static byte[] value(int i) {
        return ("{\"eventId\":\"lt1abc-" + i + "\",\"code\":" + (300 + i % 7) + ",\"truckId\":\"T-" + (i % 500)
                        + "\",\"timestamp\":" + (1_700_000_000_000L + i) + ",\"seq\":" + i
                        + ",\"speed\":88.5,\"lat\":-23.55,\"lon\":-46.63,\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static List<InRecord> records(int n) {
        List<InRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new InRecord(
                    "lt-steady",
                    i % 12,
                    1_000 + i / 12,
                    1_700_000_000_000L + i,
                    "CREATE_TIME",
                    ((300 + i % 7) + ":T-" + (i % 500)).getBytes(StandardCharsets.UTF_8),
                    value(i),
                    List.of(new InRecord.Header("sluice-lt-id", ("lt1abc-" + i).getBytes(StandardCharsets.UTF_8))),
                    1,
                    0));
        }
        return out;
    }
}
