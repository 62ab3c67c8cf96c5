package io.drawbridge.console.pages;

import io.drawbridge.console.activity.ActionLog;
import io.drawbridge.console.webhook.WebhookDeliveries;
import io.drawbridge.console.webhook.WebhookEndpoints;
import io.drawbridge.console.webhook.WebhookEvent;
import io.drawbridge.platform.web.ProblemException;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Webhooks: add an endpoint (its signing secret is shown once, on the answer page), delete or enable one, and the
 * delivery log (newest first, paged here) with each delivery's status, attempts and last answer; send one again.
 */
@Controller
class WebhooksPages {

    private static final int PAGE_SIZE = 25;

    private final WebhookEndpoints endpoints;
    private final WebhookDeliveries deliveries;
    private final ActionLog actions;

    WebhooksPages(WebhookEndpoints endpoints, WebhookDeliveries deliveries, ActionLog actions) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.actions = actions;
    }

    @GetMapping("/webhooks")
    Mono<String> list(@RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("eventTypes", WebhookEvent.types());
        return endpoints
                .list()
                .zipWith(deliveries.page(null, null, page, PAGE_SIZE))
                .map(both -> {
                    model.addAttribute("endpoints", both.getT1());
                    model.addAttribute("deliveries", both.getT2().items());
                    model.addAttribute(
                            "paging",
                            new Paging(
                                    both.getT2().page(), PAGE_SIZE, both.getT2().total()));
                    return "webhooks";
                });
    }

    @PostMapping("/webhooks")
    Mono<String> create(ServerWebExchange exchange, Model model) {
        return exchange.getFormData().zipWith(LinksPages.user(exchange)).flatMap(both -> {
            List<String> events = both.getT1().getOrDefault("events", List.of());
            return endpoints
                    .create(both.getT1().getFirst("url"), events, both.getT1().getFirst("description"), both.getT2())
                    .flatMap(created -> actions.record(
                                    both.getT2(),
                                    "webhook.created",
                                    created.id().toString(),
                                    WebhookEndpoints.host(created.url()) + " " + created.events())
                            .thenReturn(created))
                    .flatMap(created -> {
                        model.addAttribute("created", created);
                        return list(0, model);
                    })
                    .onErrorResume(ProblemException.class, problem -> {
                        model.addAttribute("error", problem.error() + ": " + problem.detail());
                        return list(0, model);
                    });
        });
    }

    @PostMapping("/webhooks/{id}/delete")
    Mono<String> delete(@PathVariable UUID id, ServerWebExchange exchange) {
        return LinksPages.user(exchange)
                .flatMap(
                        user -> endpoints.delete(id).then(actions.record(user, "webhook.deleted", id.toString(), null)))
                .thenReturn("redirect:/webhooks?deleted")
                .onErrorResume(
                        ProblemException.class, problem -> Mono.just("redirect:/webhooks?failed=" + problem.error()));
    }

    @PostMapping("/webhooks/{id}/enable")
    Mono<String> enable(@PathVariable UUID id, ServerWebExchange exchange) {
        return LinksPages.user(exchange)
                .flatMap(
                        user -> endpoints.enable(id).then(actions.record(user, "webhook.enabled", id.toString(), null)))
                .thenReturn("redirect:/webhooks?enabled")
                .onErrorResume(
                        ProblemException.class, problem -> Mono.just("redirect:/webhooks?failed=" + problem.error()));
    }

    @PostMapping("/webhooks/deliveries/{id}/redeliver")
    Mono<String> redeliver(@PathVariable UUID id, ServerWebExchange exchange) {
        return LinksPages.user(exchange)
                .flatMap(user ->
                        deliveries.redeliver(id).then(actions.record(user, "webhook.redelivered", id.toString(), null)))
                .thenReturn("redirect:/webhooks?redelivered=" + id)
                .onErrorResume(
                        ProblemException.class, problem -> Mono.just("redirect:/webhooks?failed=" + problem.error()));
    }
}
