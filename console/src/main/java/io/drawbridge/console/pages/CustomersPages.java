package io.drawbridge.console.pages;

import io.drawbridge.console.activity.ActionLog;
import io.drawbridge.console.pages.AdminApi.ApiRefusal;
import io.drawbridge.console.pages.AdminApi.Target;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A customer by email: their links (token-service) and downloads (audit-service), and erasure (audit-service's
 * {@code DELETE /api/v1/customers/{email}}: the address becomes a pseudonym, client IPs and user agents go). The
 * console's own action log records the erasure under the pseudonym, not the address it erased.
 */
@Controller
class CustomersPages {

    private final AdminApi api;
    private final ActionLog actions;

    CustomersPages(AdminApi api, ActionLog actions) {
        this.api = api;
        this.actions = actions;
    }

    @GetMapping("/customers")
    Mono<String> lookUp(@RequestParam(defaultValue = "") String email, Model model) {
        String wanted = email.trim();
        model.addAttribute("email", wanted);
        if (wanted.isEmpty()) {
            model.addAttribute("links", List.of());
            model.addAttribute("downloads", List.of());
            return Mono.just("customers");
        }
        MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        query.add("email", wanted);
        query.add("size", "50");
        return Mono.zip(
                        api.get(Target.TOKENS, "/api/v1/tokens", query),
                        api.get(Target.AUDIT, "/api/v1/download-logs", query))
                .map(both -> {
                    model.addAttribute("links", LinksPages.items(both.getT1()));
                    model.addAttribute(
                            "linksTotal", Paging.of(both.getT1(), 0, 50).total());
                    model.addAttribute("downloads", LinksPages.items(both.getT2()));
                    model.addAttribute(
                            "downloadsTotal", Paging.of(both.getT2(), 0, 50).total());
                    return "customers";
                })
                .onErrorResume(ApiRefusal.class, refusal -> {
                    model.addAttribute("links", List.of());
                    model.addAttribute("downloads", List.of());
                    model.addAttribute("error", refusal.message());
                    return Mono.just("customers");
                });
    }

    /**
     * Erases a customer from the audit trail and download log. The address must be typed twice (the second time in
     * the confirmation box), since it cannot be undone.
     */
    @PostMapping("/customers/erase")
    Mono<String> erase(ServerWebExchange exchange, Model model) {
        return exchange.getFormData().zipWith(LinksPages.user(exchange)).flatMap(both -> {
            String email = trim(both.getT1().getFirst("email"));
            String confirm = trim(both.getT1().getFirst("confirm"));
            model.addAttribute("email", email);
            model.addAttribute("links", List.of());
            model.addAttribute("downloads", List.of());
            if (email.isEmpty() || !email.equalsIgnoreCase(confirm)) {
                model.addAttribute("error", "Type the customer's address again in the confirmation box to erase it.");
                return Mono.just("customers");
            }
            return api.delete(Target.AUDIT, "/api/v1/customers/{email}", email)
                    .flatMap(erased -> actions.record(
                                    both.getT2(),
                                    "customer.erased",
                                    String.valueOf(erased.get("email_label")),
                                    erased.get("audit_events") + " audit events, " + erased.get("download_logs")
                                            + " download log rows")
                            .thenReturn(erased))
                    .map(erased -> {
                        model.addAttribute("email", "");
                        model.addAttribute("erased", erased);
                        return "customers";
                    })
                    .onErrorResume(ApiRefusal.class, refusal -> {
                        model.addAttribute("error", refusal.message());
                        return Mono.just("customers");
                    });
        });
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
