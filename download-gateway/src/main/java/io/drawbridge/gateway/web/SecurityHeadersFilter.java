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
 * run no script and load nothing but their own stylesheets (and a product's logo, from its origin only). When the public URL is https, {@code
 * Strict-Transport-Security} tells browsers never to try a link over plain http (where a network could read it).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityHeadersFilter implements WebFilter {

    private final String styleSource;
    private final String contentSecurityPolicy;
    private final String strictTransportSecurity;

    SecurityHeadersFilter(HtmlPages pages, GatewayProperties properties) {
        this.styleSource = pages.styleSource();
        this.contentSecurityPolicy = policy(styleSource, null);
        boolean https = "https".equalsIgnoreCase(properties.publicUrl().getScheme());
        Duration maxAge = properties.hstsMaxAge();
        this.strictTransportSecurity =
                https && !maxAge.isZero() ? "max-age=" + maxAge.toSeconds() + "; includeSubDomains" : null;
    }

    /** The pages' policy: nothing but their stylesheets and, on a branded page, its logo's origin. */
    static String policy(String styleSources, String imageSource) {
        return "default-src 'none'; style-src " + styleSources + (imageSource == null ? "" : "; img-src " + imageSource)
                + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("X-Content-Type-Options", "nosniff");
            HtmlPages.PageSources sources = exchange.getAttribute(HtmlPages.PAGE_SOURCES);
            headers.set(
                    "Content-Security-Policy",
                    sources == null
                            ? contentSecurityPolicy
                            : policy(
                                    sources.style() == null ? styleSource : styleSource + " " + sources.style(),
                                    sources.image()));
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
