package io.drawbridge.platform.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which scope an API key needs for an admin route. Each service lists its own rules
 * ({@code drawbridge.security.scope-rules}, {@code "POST /api/v1/tokens/for-order links:issue"}): the first rule whose
 * method and path match decides. Without a matching rule, reads ({@code GET}, {@code HEAD}) need {@code read} and
 * everything else {@code admin}, so a route nobody thought about is closed to narrow keys.
 */
final class ScopeRules {

    static final String READ = "read";

    private record Rule(HttpMethod method, PathPattern path, String scope) {}

    private final List<Rule> rules;

    private ScopeRules(List<Rule> rules) {
        this.rules = rules;
    }

    static ScopeRules parse(List<String> specs) {
        List<Rule> rules = new ArrayList<>();
        for (String spec : specs) {
            String[] parts = spec.trim().split("\\s+");
            if (parts.length != 3) {
                throw new IllegalArgumentException(
                        "drawbridge.security.scope-rules: '" + spec + "' is not 'METHOD /path/pattern scope'");
            }
            rules.add(new Rule(
                    HttpMethod.valueOf(parts[0].toUpperCase(Locale.ROOT)),
                    PathPatternParser.defaultInstance.parse(parts[1]),
                    parts[2]));
        }
        return new ScopeRules(List.copyOf(rules));
    }

    String required(HttpMethod method, PathContainer path) {
        for (Rule rule : rules) {
            if (rule.method().equals(method) && rule.path().matches(path)) {
                return rule.scope();
            }
        }
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) ? READ : ApiKeyGrant.ADMIN;
    }
}
