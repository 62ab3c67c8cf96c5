package io.drawbridge.audit.metrics;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts the metric names a PromQL expression reads. A small tokenizer, not a parser: it drops string literals,
 * label matchers ({@code {...}}), range and subquery brackets, grouping clauses ({@code by (...)}, {@code on (...)}
 * ...), Grafana variables and numbers; what is left that looks like an identifier and is not followed by
 * {@code (} (a function or aggregation) nor a PromQL keyword is a metric name.
 */
public final class PromQlMetricNames {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern VARIABLES = Pattern.compile("\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?");
    private static final Pattern IDENTIFIER =
            Pattern.compile("(?<![A-Za-z0-9_:.])([A-Za-z_:][A-Za-z0-9_:]*)(?![A-Za-z0-9_:])(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "inf",
            "nan",
            "atan2");

    private PromQlMetricNames() {}

    public static Set<String> of(String expression) {
        String rest = STRINGS.matcher(expression).replaceAll("\"\"");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGES.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        rest = VARIABLES.matcher(rest).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = IDENTIFIER.matcher(rest);
        while (matcher.find()) {
            String name = matcher.group(1);
            boolean call = matcher.group(2) != null;
            if (!call && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The metric of a Grafana variable query: {@code label_values(metric, label)} reads {@code metric};
     * {@code query_result(expr)} reads whatever {@code expr} reads.
     */
    public static Set<String> ofVariableQuery(String query) {
        Matcher labelValues = Pattern.compile("^\\s*label_values\\s*\\((.*),\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)\\s*$")
                .matcher(query);
        if (labelValues.matches()) {
            return of(labelValues.group(1));
        }
        Matcher queryResult =
                Pattern.compile("^\\s*query_result\\s*\\((.*)\\)\\s*$").matcher(query);
        if (queryResult.matches()) {
            return of(queryResult.group(1));
        }
        return Set.of();
    }
}
