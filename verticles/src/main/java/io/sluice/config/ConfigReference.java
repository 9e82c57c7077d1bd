package io.sluice.config;

import java.util.List;

/**
 * The configuration reference generated from the declared sections: one Markdown table row per key, with its dotted
 * path ({@code pipelines[].batch.maxRecords}), type, default, allowed values and description. What
 * {@code docs/configuration.md} holds between its markers; a test fails when the file is stale.
 */
public final class ConfigReference {
    public static final String BEGIN =
            "<!-- BEGIN GENERATED: ConfigReference (edit the Key definitions, not this table) -->";
    public static final String END = "<!-- END GENERATED -->";

    private ConfigReference() {}

    /** The table for the root section, between {@link #BEGIN} and {@link #END} (both included). */
    public static String markdown(Section root) {
        StringBuilder b = new StringBuilder(BEGIN).append('\n');
        b.append("| key | type | default | allowed | description |\n|---|---|---|---|---|\n");
        rows(b, "", root.keys());
        return b.append(END).append('\n').toString();
    }

    private static void rows(StringBuilder b, String prefix, List<Key<?>> keys) {
        for (Key<?> k : keys) {
            String path = prefix + k.name();
            b.append("| `")
                    .append(path)
                    .append("` | ")
                    .append(k.type())
                    .append(" | ")
                    .append(cell(k.defaultText()))
                    .append(" | ")
                    .append(cell(k.allowed()))
                    .append(" | ")
                    .append(cell(k.description()))
                    .append(" |\n");
            if (k.section() != null) {
                rows(
                        b,
                        path + (k.type().endsWith("[]") ? "[]." : "."),
                        k.section().keys());
            }
        }
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
