package io.sluice.cli;

import io.sluice.ops.OpsCommands;
import io.sluice.ops.hotkeys.HotKeysCommand;
import io.sluice.ops.partitions.IncreasePartitionsCommand;
import io.sluice.ops.partitions.PlanPartitionsCommand;
import io.sluice.ops.redrive.DlqRedriveCommand;
import io.sluice.ops.replay.ReplayCommand;
import java.util.List;

/**
 * Every operator command the jar ships; add a command here. Kept out of {@code io.sluice.ops} so the commands'
 * packages depend on the framework and never the other way.
 */
public final class StandardCommands {
    private StandardCommands() {}

    public static OpsCommands create() {
        return new OpsCommands(List.of(
                new DlqRedriveCommand(),
                new ReplayCommand(),
                new HotKeysCommand(),
                new PlanPartitionsCommand(),
                new IncreasePartitionsCommand()));
    }
}
