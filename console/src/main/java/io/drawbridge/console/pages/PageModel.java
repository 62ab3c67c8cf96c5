package io.drawbridge.console.pages;

import java.security.Principal;
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

    @ModelAttribute("who")
    Mono<String> who(ServerWebExchange exchange) {
        return exchange.getPrincipal().map(Principal::getName).defaultIfEmpty("");
    }
}
