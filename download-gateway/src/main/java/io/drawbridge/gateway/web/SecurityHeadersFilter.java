package io.drawbridge.gateway.web;

import io.drawbridge.gateway.config.GatewayProperties;
import java.time.Duration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Puts the same defensive headers on every response, errors and downloads included: nothing is cached (links and
 * grants are personal), no referrer leaks the token, nothing is framed, sniffed or indexed, and the pages can
 * run no script and load nothing but their own stylesheet. When the public URL is https, {@code
 * Strict-Transport-Security} tells browsers never to try a link over plain http (where a network could read it).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityHeadersFilter implements WebFilter {

    private final String contentSecurityPolicy;
    private final String strictTransportSecurity;

    SecurityHeadersFilter(HtmlPages pages, GatewayProperties properties) {
        this.contentSecurityPolicy = "default-src 'none'; style-src " + pages.styleSource()
                + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        boolean https = "https".equalsIgnoreCase(properties.publicUrl().getScheme());
        Duration maxAge = properties.hstsMaxAge();
        this.strictTransportSecurity =
                https && !maxAge.isZero() ? "max-age=" + maxAge.toSeconds() + "; includeSubDomains" : null;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Content-Security-Policy", contentSecurityPolicy);
            headers.set("X-Frame-Options", "DENY");
            headers.set("X-Robots-Tag", "noindex, nofollow");
            if (strictTransportSecurity != null) {
                headers.set("Strict-Transport-Security", strictTransportSecurity);
            }
            return Mono.empty();
        });
        return chain.filter(exchange);
    }
}
