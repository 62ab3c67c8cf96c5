package io.drawbridge.console.pages;

import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** What every page needs: the CSRF token for its forms, the signed-in seller's name, byte sizes for people. */
@ControllerAdvice(basePackages = "io.drawbridge.console.pages")
class PageModel {

    private static final ByteSizes SIZES = new ByteSizes();

    @ModelAttribute("sizes")
    ByteSizes sizes() {
        return SIZES;
    }

    @ModelAttribute("_csrf")
    Mono<CsrfToken> csrf(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return token == null ? Mono.empty() : token;
    }

    /**
     * The page's query parameters, one value each, for the notes a redirect leaves ({@code ?revoked=...}). Thymeleaf's
     * {@code ${param.x}} cannot be used for that under WebFlux: it is truthy even when the request has no {@code x}.
     */
    @ModelAttribute("notice")
    Map<String, String> notice(ServerWebExchange exchange) {
        Map<String, String> given = new HashMap<>();
        // A parameter without a value ("/login?error") is there all the same: "".
        exchange.getRequest()
                .getQueryParams()
                .forEach((name, values) ->
                        given.put(name, values.isEmpty() || values.get(0) == null ? "" : values.get(0)));
        return given;
    }

    @ModelAttribute("who")
    Mono<String> who(ServerWebExchange exchange) {
        return exchange.getPrincipal().map(Principal::getName).defaultIfEmpty("");
    }
}
