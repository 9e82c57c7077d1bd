package io.sluice.launcher;

import io.sluice.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@code java -jar sluice.jar}, checked before anything starts: pure logic.
 * <ul>
 *   <li>{@code -conf FILE} (also {@code --conf}, and {@code --config} as before): the config file; without it
 *       {@code SLUICE_CONFIG}, else {@code conf/local.json}.</li>
 *   <li>Vert.x launcher options passed through: {@code -options} (VertxOptions, a JSON file or string),
 *       {@code -deployment-options}, {@code -instances 1}, {@code -cluster-host}, {@code -cluster-port},
 *       {@code -cluster-public-host}, {@code -cluster-public-port}; {@code -h} prints the usage.</li>
 * </ul>
 * Anything else is an error (exit 2), as is an option without its value: never a silent fallback to the local
 * config. {@code -cluster} is refused too: clustering is {@code cluster.enabled} in the config, whose member list it
 * needs. {@code -instances} above 1 is refused: Sluice runs once per JVM (it owns ports, a broker, consumer groups);
 * scale with {@code pipelines[].dispatchInstances} and {@code lanes}.
 *
 * @param configPath  the config file
 * @param passThrough arguments for the Vert.x launcher, in order
 * @param help        {@code -h}: print the usage and exit 0
 */
public record LaunchArgs(String configPath, List<String> passThrough, boolean help) {
    static final String DEFAULT_CONFIG = "conf/local.json";
    private static final Set<String> CONFIG = Set.of("-conf", "--conf", "--config");
    private static final Set<String> WITH_VALUE = Set.of(
            "-options",
            "--options",
            "-vertx-options",
            "--vertx-options",
            "-deployment-options",
            "--deployment-options",
            "-instances",
            "--instances",
            "-cluster-host",
            "--cluster-host",
            "-cluster-port",
            "--cluster-port",
            "-cluster-public-host",
            "--cluster-public-host",
            "-cluster-public-port",
            "--cluster-public-port");
    private static final Set<String> HELP = Set.of("-h", "-help", "--help");

    public LaunchArgs {
        passThrough = List.copyOf(passThrough);
    }

    /** Parses {@code args}; {@code env} supplies {@code SLUICE_CONFIG}. Throws {@link ConfigException} naming the argument. */
    public static LaunchArgs parse(String[] args, Map<String, String> env) {
        String config = null;
        List<String> pass = new ArrayList<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("-") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (HELP.contains(lower)) {
                help = true;
                continue;
            }
            if (!CONFIG.contains(lower) && !WITH_VALUE.contains(lower)) {
                throw new ConfigException(a, unknown(lower));
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("-") || args[i + 1].isBlank()) {
                    throw new ConfigException(
                            name, "needs a value" + (CONFIG.contains(lower) ? " (the config file)" : ""));
                }
                value = args[++i];
            }
            if (value.isBlank()) {
                throw new ConfigException(name, "needs a value");
            }
            if (CONFIG.contains(lower)) {
                if (config != null) {
                    throw new ConfigException(name, "is given twice ('" + config + "' and '" + value + "')");
                }
                config = value;
            } else {
                if (lower.endsWith("instances") && !value.equals("1")) {
                    throw new ConfigException(
                            name,
                            "must be 1, got '" + value + "': Sluice runs once per JVM "
                                    + "(scale with pipelines[].dispatchInstances and lanes, or more hosts)");
                }
                pass.add(name);
                pass.add(value);
            }
        }
        if (config == null) {
            String fromEnv = env.get("SLUICE_CONFIG");
            config = fromEnv != null && !fromEnv.isBlank() ? fromEnv : DEFAULT_CONFIG;
        }
        return new LaunchArgs(config, pass, help);
    }

    private static String unknown(String name) {
        if (name.equals("-cluster") || name.equals("--cluster") || name.equals("-c")) {
            return "is not an option of Sluice: set cluster.enabled (and cluster.members) in the config";
        }
        if (!name.startsWith("-")) {
            return "is not an option (the config file is given with -conf FILE)";
        }
        return "is not an option (known: -conf FILE, --config FILE, -options, -deployment-options, -instances 1, "
                + "-cluster-host, -cluster-port, -cluster-public-host, -cluster-public-port, -h)";
    }

    /** The usage text of {@code -h}. */
    static String usage() {
        return String.join(
                "\n",
                "Usage: java -jar sluice.jar [-conf FILE] [Vert.x launcher options]",
                "  -conf FILE, --config FILE   the config (default: $SLUICE_CONFIG, else conf/local.json);",
                "                              SLUICE_* variables and -Dsluice.* properties override its keys",
                "  -options JSON|FILE          VertxOptions (event-loop size, blocked-thread checker, ...)",
                "  -deployment-options JSON|FILE  DeploymentOptions of the main verticle (its config is the -conf file)",
                "  -instances 1                one instance per JVM",
                "  -cluster-host H, -cluster-port P, -cluster-public-host H, -cluster-public-port P",
                "                              event-bus addresses when cluster.enabled is true (override cluster.*)",
                "Exit codes: 0 stopped, 1 failed to start, 2 invalid configuration or TLS material, 143 after SIGTERM.");
    }
}
