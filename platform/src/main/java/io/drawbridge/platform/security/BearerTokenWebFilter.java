package io.drawbridge.platform.security;

import io.drawbridge.platform.web.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Guards the admin API ({@code /api/v1/**}: the admin token, or an API key whose scopes cover the route), its
 * OpenAPI description ({@code /v3/api-docs}, the same credentials: it maps every admin route for whoever asks) and
 * service-to-service routes ({@code /internal/**}, service token only). Static tokens are compared in constant time
 * (of their SHA-256, so not even the length leaks); API keys ({@code dbk_...}) are checked by the key owner through
 * {@link ApiKeyIntrospector} and their scope against the service's {@link ScopeRules}: a key outside its scopes gets
 * 403 {@code insufficient_scope}. Public paths and {@code /actuator/**} pass; everything else is left to the service.
 */
public class BearerTokenWebFilter implements WebFilter, Ordered {

    /** Early, so nothing runs for an unauthenticated request, but after Boot's own infrastructure filters. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    /** The exchange attribute holding the {@link ApiKeyGrant} of a request made with an API key. */
    public static final String API_KEY_ATTRIBUTE = ApiKeyGrant.class.getName();

    static final PathPattern ADMIN_PATHS = PathPatternParser.defaultInstance.parse("/api/v1/**");
    static final PathPattern SERVICE_PATHS = PathPatternParser.defaultInstance.parse("/internal/**");
    /** springdoc's documents: {@code /v3/api-docs}, {@code /v3/api-docs.yaml}, {@code /v3/api-docs/swagger-config}. */
    static final List<PathPattern> API_DOCS_PATHS = List.of(
            PathPatternParser.defaultInstance.parse("/v3/api-docs*"),
            PathPatternParser.defaultInstance.parse("/v3/api-docs/**"));

    static final PathPattern ACTUATOR_PATHS = PathPatternParser.defaultInstance.parse("/actuator/**");

    private final byte[] adminTokenDigest;
    private final byte[] serviceTokenDigest;
    private final List<PathPattern> publicPaths;
    private final ScopeRules scopeRules;
    private final ApiKeyIntrospector apiKeys;

    public BearerTokenWebFilter(SecurityProperties properties) {
        this(properties, null);
    }

    /** @param apiKeys who verifies API keys; null when this service accepts none (only the admin token) */
    public BearerTokenWebFilter(SecurityProperties properties, ApiKeyIntrospector apiKeys) {
        this.adminTokenDigest = properties.hasAdminToken() ? sha256(properties.adminToken()) : null;
        this.serviceTokenDigest = properties.hasServiceToken() ? sha256(properties.serviceToken()) : null;
        this.publicPaths = parse(properties.publicPaths());
        this.scopeRules = ScopeRules.parse(properties.scopeRules());
        this.apiKeys = apiKeys;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        if (isPublic(path)) {
            return chain.filter(exchange);
        }
        if (ADMIN_PATHS.matches(path) || API_DOCS_PATHS.stream().anyMatch(docs -> docs.matches(path))) {
            String presented = bearer(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
            if (apiKeys != null && presented != null && presented.startsWith(ApiKeyIntrospector.KEY_PREFIX)) {
                return authorizeKey(exchange, chain, presented, path);
            }
            return authorize(exchange, chain, adminTokenDigest, "an admin token or an API key");
        }
        if (SERVICE_PATHS.matches(path)) {
            return authorize(exchange, chain, serviceTokenDigest, "a service token");
        }
        return chain.filter(exchange);
    }

    boolean isPublic(PathContainer path) {
        if (ACTUATOR_PATHS.matches(path)) {
            return true;
        }
        for (PathPattern pattern : publicPaths) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private Mono<Void> authorize(ServerWebExchange exchange, WebFilterChain chain, byte[] expected, String what) {
        String presented = bearer(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (expected != null && presented != null && MessageDigest.isEqual(expected, sha256(presented))) {
            return chain.filter(exchange);
        }
        return Mono.error(new ProblemException(
                HttpStatus.UNAUTHORIZED, "unauthorized", "This route needs " + what + " (Authorization: Bearer)."));
    }

    private Mono<Void> authorizeKey(ServerWebExchange exchange, WebFilterChain chain, String key, PathContainer path) {
        String scope = scopeRules.required(exchange.getRequest().getMethod(), path);
        return apiKeys.introspect(key)
                .onErrorMap(error -> !(error instanceof ProblemException), error -> new ProblemException(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "api_keys_unavailable",
                                "API keys cannot be checked right now; try again shortly.",
                                error)
                        .retryAfter(java.time.Duration.ofSeconds(5)))
                .switchIfEmpty(Mono.error(
                        new ProblemException(HttpStatus.UNAUTHORIZED, "unauthorized", "Unknown or revoked API key.")))
                .flatMap(grant -> {
                    if (!grant.allows(scope)) {
                        return Mono.error(new ProblemException(
                                HttpStatus.FORBIDDEN,
                                "insufficient_scope",
                                "This API key (" + grant.name() + ") lacks the scope " + scope + " this route needs."));
                    }
                    exchange.getAttributes().put(API_KEY_ATTRIBUTE, grant);
                    return chain.filter(exchange);
                });
    }

    static List<PathPattern> parse(List<String> patterns) {
        return patterns.stream()
                .map(String::trim)
                .filter(pattern -> !pattern.isEmpty())
                .map(PathPatternParser.defaultInstance::parse)
                .toList();
    }

    private static String bearer(String authorization) {
        if (authorization == null || authorization.length() <= 7) {
            return null;
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
