package io.sluice.ops;

import io.sluice.config.ConfigException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The options of one command: {@code --name value}, {@code --name=value} and flags ({@code --dry-run}). Pure logic.
 * Every getter names the option in its error ({@link ConfigException}, exit 2); {@link #done()} refuses options the
 * command never asked for, so a typo is an error rather than a silent default. {@code --help}/{@code -h} is answered
 * by the registry before the command runs.
 */
public final class CommandArgs {
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final Set<String> flags = new LinkedHashSet<>();
    private final List<String> positional = new ArrayList<>();
    private final Set<String> asked = new LinkedHashSet<>();
    private final boolean help;

    private CommandArgs(List<String> args, Set<String> flagNames) {
        boolean h = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-h") || a.equals("--help")) {
                h = true;
                continue;
            }
            if (!a.startsWith("--") || a.length() == 2) {
                positional.add(a);
                continue;
            }
            int eq = a.indexOf('=');
            String name = (eq > 0 ? a.substring(2, eq) : a.substring(2)).toLowerCase(Locale.ROOT);
            if (eq > 0) {
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(a.substring(eq + 1));
            } else if (flagNames.contains(name)) {
                flags.add(name);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(args.get(++i));
            } else {
                throw new ConfigException("--" + name, "needs a value");
            }
        }
        this.help = h;
    }

    /**
     * Parses {@code args}; names in {@code flagNames} (without {@code --}) take no value.
     */
    public static CommandArgs parse(List<String> args, Set<String> flagNames) {
        return new CommandArgs(args, flagNames);
    }

    public boolean help() {
        return help;
    }

    /** A flag given without value, e.g. {@code --dry-run}. */
    public boolean flag(String name) {
        asked.add(name);
        return flags.contains(name);
    }

    public String string(String name, String def) {
        asked.add(name);
        List<String> v = values.get(name);
        if (v == null) {
            return def;
        }
        if (v.size() > 1) {
            throw new ConfigException("--" + name, "given " + v.size() + " times");
        }
        return v.get(0);
    }

    public String required(String name) {
        String v = string(name, null);
        if (v == null || v.isBlank()) {
            throw new ConfigException("--" + name, "is required");
        }
        return v;
    }

    /** Every value of a repeatable option, in order. */
    public List<String> all(String name) {
        asked.add(name);
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    public long longIn(String name, long def, long min, long max) {
        String v = string(name, null);
        if (v == null) {
            return def;
        }
        try {
            long n = Long.parseLong(v.trim().replace("_", ""));
            if (n < min || n > max) {
                throw new ConfigException("--" + name, "must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    "--" + name, "must be an integer between " + min + " and " + max + ", got '" + v + "'");
        }
    }

    public int intIn(String name, int def, int min, int max) {
        return (int) longIn(name, def, min, max);
    }

    /** An ISO-8601 instant ({@code 2026-12-01T10:00:00Z}) or epoch milliseconds. */
    public Instant instant(String name, Instant def) {
        String v = string(name, null);
        if (v == null) {
            return def;
        }
        try {
            return v.trim().matches("\\d+") ? Instant.ofEpochMilli(Long.parseLong(v.trim())) : Instant.parse(v.trim());
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ConfigException(
                    "--" + name, "must be an ISO-8601 instant (2026-12-01T10:00:00Z) or epoch ms, got '" + v + "'");
        }
    }

    /** A duration as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} or an ISO-8601 {@code PT30S}. */
    public Duration duration(String name, Duration def) {
        String v = string(name, null);
        if (v == null) {
            return def;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new ConfigException("--" + name, "must be a duration like 500ms, 30s, 5m, 2h, got '" + v + "'");
        }
    }

    /** Arguments that are not options, in order. */
    public List<String> positional() {
        return List.copyOf(positional);
    }

    /** Refuses options the command did not ask for, and positional arguments unless {@code allowPositional}. */
    public void done(boolean allowPositional) {
        for (String name : values.keySet()) {
            if (!asked.contains(name)) {
                throw new ConfigException("--" + name, "is not an option of this command (--help lists them)");
            }
        }
        for (String name : flags) {
            if (!asked.contains(name)) {
                throw new ConfigException("--" + name, "is not an option of this command (--help lists them)");
            }
        }
        if (!allowPositional && !positional.isEmpty()) {
            throw new ConfigException("'" + positional.get(0) + "'", "unexpected argument (--help lists the options)");
        }
    }
}
