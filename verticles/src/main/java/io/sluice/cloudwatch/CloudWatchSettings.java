package io.sluice.cloudwatch;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
import java.util.List;

/**
 * {@code metrics.cloudwatch}: Sluice's meters as CloudWatch Embedded Metric Format lines on standard output, which
 * CloudWatch Logs turns into metrics (no AWS SDK call, no sidecar; see docs/tracing.md). Off by default.
 *
 * @param namespace  the CloudWatch namespace
 * @param intervalMs one EMF line per meter group every this many milliseconds
 * @param prefixes   meter names to publish (by prefix), e.g. {@code sluice.}
 */
public record CloudWatchSettings(boolean enabled, String namespace, long intervalMs, List<String> prefixes) {

    public CloudWatchSettings {
        prefixes = List.copyOf(prefixes);
    }

    public static CloudWatchSettings off() {
        return new CloudWatchSettings(false, "Sluice", 60_000, List.of("sluice."));
    }

    private static final Key<Boolean> ENABLED =
            Key.bool("enabled", false, "Sluice's meters as CloudWatch Embedded Metric Format lines on standard output");
    private static final Key<String> NAMESPACE =
            Key.string("namespace", "Sluice", "the CloudWatch namespace (1-255 of [A-Za-z0-9._/#:- ], not AWS/...)");
    private static final Key<Long> INTERVAL_MS = Key.longInt(
            "intervalMs", 60_000, 1_000, 3_600_000, "one EMF line per meter group every this many milliseconds");
    private static final Key<List<String>> PREFIXES =
            Key.strings("prefixes", List.of("sluice."), "meter names to publish, by prefix");
    /** {@code metrics.cloudwatch}. */
    public static final Section SECTION =
            Section.of("CloudWatch metrics without a sidecar (EMF lines)", ENABLED, NAMESPACE, INTERVAL_MS, PREFIXES);

    public static CloudWatchSettings from(Cfg c) {
        String ns = c.get(NAMESPACE);
        if (ns.isBlank() || ns.length() > 255 || ns.startsWith("AWS/") || !ns.matches("[A-Za-z0-9._/#:\\- ]+")) {
            throw new ConfigException(
                    c.key("namespace"),
                    "must be 1-255 characters of [A-Za-z0-9._/#:- ] and not start " + "with AWS/, got '" + ns + "'");
        }
        CloudWatchSettings s = new CloudWatchSettings(c.get(ENABLED), ns, c.get(INTERVAL_MS), c.get(PREFIXES));
        c.done();
        return s;
    }
}
