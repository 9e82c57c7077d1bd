package io.sluice.ops;

import io.sluice.config.ConfigException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The registry of operator commands and their dispatch. {@code java -jar sluice.jar help} lists them;
 * {@code <command> --help} prints one command's usage. The longest command name matching the first words wins
 * ({@code dlq redrive} before {@code dlq}).
 */
public final class OpsCommands {
    private final List<OpsCommand> commands;

    public OpsCommands(List<OpsCommand> commands) {
        this.commands =
                commands.stream().sorted(Comparator.comparing(OpsCommand::name)).toList();
    }

    /** True when {@code args} name a command (or {@code help}) rather than the service's options. */
    public static boolean isCommand(String[] args) {
        return args.length > 0 && !args[0].startsWith("-");
    }

    public List<OpsCommand> commands() {
        return commands;
    }

    /** Runs the command {@code args} name and returns the exit code. */
    public int run(String[] args, OpsEnv env) {
        if (args.length == 0 || args[0].equals("help")) {
            env.out().println(list());
            return OpsCommand.OK;
        }
        OpsCommand cmd = null;
        int words = 0;
        for (OpsCommand c : commands) {
            String[] name = c.name().split(" ");
            if (name.length > words
                    && name.length <= args.length
                    && Arrays.equals(name, Arrays.copyOf(args, name.length))) {
                cmd = c;
                words = name.length;
            }
        }
        if (cmd == null) {
            env.err()
                    .println("sluice: unknown command '"
                            + String.join(" ", Arrays.copyOf(args, Math.min(2, args.length)))
                            + "' (java -jar sluice.jar help lists the commands)");
            return OpsCommand.USAGE;
        }
        List<String> rest = List.of(args).subList(words, args.length);
        try {
            CommandArgs parsed = CommandArgs.parse(rest, cmd.flags());
            if (parsed.help()) {
                env.out()
                        .println("usage: java -jar sluice.jar " + cmd.name() + " [options]\n\n" + cmd.summary() + "\n\n"
                                + cmd.usage());
                return OpsCommand.OK;
            }
            return cmd.run(parsed, env);
        } catch (ConfigException e) {
            env.err().println("sluice " + cmd.name() + ": " + e.getMessage() + " (--help for the usage)");
            return OpsCommand.USAGE;
        } catch (Exception e) {
            env.err()
                    .println("sluice " + cmd.name() + ": failed: "
                            + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return OpsCommand.FAILED;
        }
    }

    String list() {
        StringBuilder b = new StringBuilder(
                "usage: java -jar sluice.jar <command> [options]   (<command> --help for its options)\n"
                        + "       java -jar sluice.jar [-conf FILE]                (start the service)\n\ncommands:\n");
        int width = commands.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (OpsCommand c : commands) {
            b.append("  ")
                    .append(String.format("%-" + width + "s", c.name()))
                    .append("  ")
                    .append(c.summary())
                    .append('\n');
        }
        return b.toString().stripTrailing();
    }
}
