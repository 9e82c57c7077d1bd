package io.sluice.cli;

import io.sluice.launcher.ConfigLoader;
import io.sluice.launcher.Main;
import io.sluice.ops.OpsCommands;
import io.sluice.ops.OpsEnv;

/**
 * The jar's entry point: {@code java -jar sluice.jar <command> …} runs an operator command ({@link OpsCommands};
 * {@code help} lists them); anything else (options only, e.g. {@code -conf FILE}) starts the service ({@link Main}).
 */
public final class SluiceCli {
    private SluiceCli() {}

    public static void main(String[] args) {
        if (!OpsCommands.isCommand(args)) {
            Main.main(args);
            return;
        }
        OpsEnv env = new OpsEnv(System.out, System.err, System.getenv(), ConfigLoader::loadBlocking);
        int code = StandardCommands.create().run(args, env);
        System.out.flush();
        System.exit(code);
    }
}
