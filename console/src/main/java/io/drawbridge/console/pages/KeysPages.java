package io.drawbridge.console.pages;

import io.drawbridge.console.activity.ActionLog;
import io.drawbridge.console.apikey.ApiKeys;
import io.drawbridge.platform.web.ProblemException;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** API keys: create (the key is shown once, on the answer page), list with last use, revoke. */
@Controller
class KeysPages {

    private final ApiKeys keys;
    private final ActionLog actions;

    KeysPages(ApiKeys keys, ActionLog actions) {
        this.keys = keys;
        this.actions = actions;
    }

    @GetMapping("/keys")
    Mono<String> list(Model model) {
        model.addAttribute("scopes", ApiKeys.SCOPES);
        return keys.list().map(list -> {
            model.addAttribute("keys", list);
            return "keys";
        });
    }

    @PostMapping("/keys")
    Mono<String> create(ServerWebExchange exchange, Model model) {
        return exchange.getFormData().zipWith(LinksPages.user(exchange)).flatMap(both -> {
            List<String> scopes = both.getT1().getOrDefault("scopes", List.of());
            return keys.create(both.getT1().getFirst("name"), scopes, both.getT2())
                    .flatMap(created -> actions.record(
                                    both.getT2(),
                                    "api_key.created",
                                    created.id().toString(),
                                    created.name() + " " + created.scopes())
                            .thenReturn(created))
                    .flatMap(created -> {
                        model.addAttribute("created", created);
                        return list(model);
                    })
                    .onErrorResume(ProblemException.class, problem -> {
                        model.addAttribute("error", problem.error() + ": " + problem.detail());
                        return list(model);
                    });
        });
    }

    @PostMapping("/keys/{id}/revoke")
    Mono<String> revoke(@PathVariable UUID id, ServerWebExchange exchange) {
        return LinksPages.user(exchange)
                .flatMap(user -> keys.revoke(id, user)
                        .flatMap(revoked ->
                                revoked ? actions.record(user, "api_key.revoked", id.toString(), null) : Mono.empty()))
                .thenReturn("redirect:/keys");
    }
}
