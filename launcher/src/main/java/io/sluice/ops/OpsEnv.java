package io.sluice.ops;

import io.sluice.config.ConfigException;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a command may use of the process: its output streams, the environment and a way to read Sluice's config file
 * (the same loader as the service: file, {@code SLUICE_*} environment, {@code -Dsluice.*}). Passed in so commands are
 * tested without a process.
 *
 * @param out    results
 * @param err    errors and progress
 * @param env    environment variables (tokens are read from here, never from the command line)
 * @param config loads and validates a config file; throws {@link ConfigException} naming the key
 */
public record OpsEnv(PrintStream out, PrintStream err, Map<String, String> env, ConfigReader config) {
    /** Reads and validates the config file at a path. */
    @FunctionalInterface
    public interface ConfigReader {
        io.sluice.launcher.SluiceConfig read(String path) throws ConfigException;
    }
}
