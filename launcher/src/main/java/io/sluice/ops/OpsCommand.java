package io.sluice.ops;

/**
 * One operator command of the jar: {@code java -jar sluice.jar <name words…> [options]}. An implementation parses
 * its options with {@link CommandArgs} (which answers {@code --help} and refuses unknown options), does its work and
 * returns the process exit code: {@link #OK}, {@link #FAILED} (the work could not be done; the reason printed on
 * {@code err}), {@link #USAGE} (bad options; one line naming the option). Commands that change anything take
 * {@code --dry-run}.
 */
public interface OpsCommand {
    int OK = 0;
    int FAILED = 1;
    int USAGE = 2;

    /** The words that name it, e.g. {@code "dlq redrive"}, {@code "hot-keys"}. */
    String name();

    /** One line for the list of commands. */
    String summary();

    /** The text {@code --help} prints: options, defaults, an example. */
    String usage();

    /** Option names (without {@code --}) that take no value; {@code dry-run} by default. */
    default java.util.Set<String> flags() {
        return java.util.Set.of("dry-run");
    }

    /** Runs with the arguments after the name. Exceptions are reported as one line and exit {@link #FAILED}. */
    int run(CommandArgs args, OpsEnv env) throws Exception;
}
