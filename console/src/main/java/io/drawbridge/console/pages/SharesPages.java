package io.drawbridge.console.pages;

import io.drawbridge.console.activity.ActionLog;
import io.drawbridge.console.pages.AdminApi.ApiRefusal;
import io.drawbridge.console.pages.AdminApi.Target;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * One-time shares (file-service's admin list, paged there): what exists and where it stands, never a name or a
 * content (file-service does not give them out), and deleting one before its time.
 */
@Controller
class SharesPages {

    static final List<String> STATUSES = List.of("active", "burnt", "expired", "deleted");

    private final AdminApi api;
    private final ActionLog actions;

    SharesPages(AdminApi api, ActionLog actions) {
        this.api = api;
        this.actions = actions;
    }

    @GetMapping("/shares")
    Mono<String> list(
            @RequestParam(defaultValue = "active") String status,
            @RequestParam(defaultValue = "0") int page,
            Model model) {
        int size = 50;
        String wanted = STATUSES.contains(status) ? status : "";
        MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        query.add("status", wanted);
        query.add("page", Integer.toString(Math.max(0, page)));
        query.add("size", Integer.toString(size));
        model.addAttribute("status", wanted);
        model.addAttribute("statuses", STATUSES);
        return api.get(Target.FILES, "/api/v1/shares", query)
                .map(answer -> {
                    model.addAttribute("items", LinksPages.items(answer));
                    model.addAttribute("paging", Paging.of(answer, Math.max(0, page), size));
                    return "shares";
                })
                .onErrorResume(ApiRefusal.class, refusal -> {
                    model.addAttribute("items", List.of());
                    model.addAttribute("paging", new Paging(0, size, 0));
                    model.addAttribute("error", refusal.message());
                    return Mono.just("shares");
                });
    }

    /** Deletes a share now: file-service drops its key material and object; its link answers 410. */
    @PostMapping("/shares/{id}/delete")
    Mono<String> delete(@PathVariable UUID id, ServerWebExchange exchange) {
        return LinksPages.user(exchange)
                .flatMap(user -> api.delete(Target.FILES, "/api/v1/shares/{id}", id)
                        .then(actions.record(user, "share.deleted", id.toString(), null)))
                .thenReturn("redirect:/shares?deleted=" + id)
                .onErrorResume(ApiRefusal.class, refusal -> Mono.just("redirect:/shares?failed=" + refusal.error));
    }
}
