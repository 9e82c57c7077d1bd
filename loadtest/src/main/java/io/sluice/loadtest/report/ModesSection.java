package io.sluice.loadtest.report;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The "Batch modes side by side" section of {@link HtmlReport}: the {@code modes} rows of a side-by-side run (one
 * per batch mode and ordering) as a table, and the adaptive / fixed {@code ratios} (and {@code ratiosByOrdering})
 * under it. The hot/other key columns and the own-checks column show only when some row has them. Pure.
 */
final class ModesSection {
    /** The columns of the modes table: row key, header, decimals, and whether it shows only when some row has it. */
    private record Column(String key, String header, int decimals, boolean optional) {}

    private static final List<Column> MODE_COLUMNS = List.of(
            new Column("mode", "Batch mode", 0, false),
            new Column("ordering", "Ordering", 0, false),
            new Column("deliveredPerSecond", "Delivered / s", 1, false),
            new Column("backlogSlopePerSecond", "Backlog slope / s", 1, false),
            new Column("latencyP99Ms", "p99 (ms)", 1, false),
            new Column("invocationsPerMillion", "Invocations per million", 1, false),
            new Column("lost", "Lost", 0, false),
            new Column("duplicates", "Duplicates", 0, false),
            new Column("orderViolations", "Order violations", 0, false),
            new Column("hotKeyP99Ms", "Hot key p99 (ms)", 1, true),
            new Column("otherKeysP99Ms", "Other keys p99 (ms)", 1, true),
            new Column("passed", "Own checks", 0, true));

    private static final Set<String> TEXT_COLUMNS = Set.of("mode", "ordering", "passed");

    private ModesSection() {}

    /** Appends the section when the report has {@code modes}. */
    static void render(StringBuilder sb, JsonObject r) {
        List<JsonObject> rows = HtmlReport.objects(r.getValue("modes"));
        if (rows.isEmpty()) {
            return;
        }
        List<Column> columns = new ArrayList<>();
        for (Column c : MODE_COLUMNS) {
            if (!c.optional() || rows.stream().anyMatch(row -> row.getValue(c.key()) != null)) {
                columns.add(c);
            }
        }
        sb.append("<section>\n<h2>Batch modes side by side</h2>\n");
        if (r.getValue("modesBasis") != null) {
            sb.append("<p class=\"muted\">")
                    .append(HtmlReport.text(r.getValue("modesBasis")))
                    .append("</p>\n");
        }
        sb.append("<table class=\"modes\">\n<thead><tr>");
        for (Column c : columns) {
            sb.append("<th")
                    .append(TEXT_COLUMNS.contains(c.key()) ? "" : " class=\"num\"")
                    .append(">")
                    .append(HtmlReport.esc(c.header()))
                    .append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (JsonObject row : rows) {
            sb.append("<tr>");
            for (Column c : columns) {
                Object v = row.getValue(c.key());
                if (c.key().equals("passed")) {
                    sb.append("<td>")
                            .append(
                                    Boolean.TRUE.equals(v)
                                            ? "<span class=\"pill pass\">✓ pass</span>"
                                            : Boolean.FALSE.equals(v)
                                                    ? "<span class=\"pill fail\">✗ fail</span>"
                                                    : HtmlReport.DASH)
                            .append("</td>");
                } else if (v instanceof Number) {
                    boolean bad = HtmlReport.positive(v)
                            && (c.key().equals("lost") || c.key().equals("orderViolations"));
                    sb.append("<td class=\"num")
                            .append(bad ? " bad" : "")
                            .append("\">")
                            .append(HtmlReport.value(v, c.decimals(), ""))
                            .append("</td>");
                } else {
                    sb.append("<td>").append(HtmlReport.text(v)).append("</td>");
                }
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>\n");
        JsonObject ratios = HtmlReport.object(r.getValue("ratios"));
        JsonObject byOrdering = HtmlReport.object(r.getValue("ratiosByOrdering"));
        if (!ratios.isEmpty() || !byOrdering.isEmpty()) {
            sb.append("<h3>Adaptive / fixed</h3>\n<table class=\"ratios\">\n<thead><tr><th>Ordering</th>")
                    .append("<th class=\"num\">Delivered / s</th><th class=\"num\">p99</th>")
                    .append("<th class=\"num\">Invocations per million</th></tr></thead>\n<tbody>\n");
            if (byOrdering.isEmpty()) {
                ratioRow(sb, HtmlReport.text(rows.get(rows.size() - 1).getValue("ordering")), ratios);
            }
            for (String ordering : byOrdering.fieldNames()) {
                ratioRow(sb, HtmlReport.esc(ordering), HtmlReport.object(byOrdering.getValue(ordering)));
            }
            sb.append("</tbody>\n</table>\n");
        }
        sb.append("</section>\n");
    }

    /** One ratios row; {@code labelHtml} is escaped already. */
    private static void ratioRow(StringBuilder sb, String labelHtml, JsonObject ratios) {
        sb.append("<tr><td>")
                .append(labelHtml)
                .append("</td><td class=\"num\">")
                .append(times(ratios.getValue("delivered")))
                .append("</td><td class=\"num\">")
                .append(times(ratios.getValue("p99")))
                .append("</td><td class=\"num\">")
                .append(times(ratios.getValue("invocationsPerMillion")))
                .append("</td></tr>\n");
    }

    private static String times(Object v) {
        return HtmlReport.finite(v) ? HtmlReport.value(v, 3, "") + " ×" : HtmlReport.DASH;
    }
}
