package io.drawbridge.console.webhook;

import io.drawbridge.console.activity.ActionLog;
import io.drawbridge.console.apikey.ApiKeyController;
import io.drawbridge.platform.web.ProblemException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The webhook admin API (the admin token or an {@code admin} key; {@code GET}s also {@code read}): endpoints
 * (create: the secret is in that answer only; list; delete; enable), deliveries (list; redeliver). JSON snake_case;
 * errors as problem details.
 */
@RestController
class WebhookController {

    private final WebhookEndpoints endpoints;
    private final WebhookDeliveries deliveries;
    private final ActionLog actions;

    WebhookController(WebhookEndpoints endpoints, WebhookDeliveries deliveries, ActionLog actions) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.actions = actions;
    }

    record CreateEndpoint(String url, List<String> events, String description) {}

    @PostMapping("/api/v1/webhook-endpoints")
    Mono<ResponseEntity<Map<String, Object>>> create(@RequestBody CreateEndpoint request, ServerWebExchange exchange) {
        String actor = actor(exchange);
        return endpoints
                .create(request.url(), request.events(), request.description(), actor)
                .flatMap(created -> actions.record(
                                actor,
                                "webhook.created",
                                created.id().toString(),
                                WebhookEndpoints.host(created.url()) + " " + created.events())
                        .thenReturn(created))
                .map(created -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("id", created.id());
                    body.put("url", created.url());
                    body.put("events", created.events());
                    body.put("secret", created.secret());
                    body.put("created_at", created.createdAt());
                    return ResponseEntity.created(URI.create("/api/v1/webhook-endpoints/" + created.id()))
                            .body(body);
                });
    }

    @GetMapping("/api/v1/webhook-endpoints")
    Mono<Map<String, Object>> list() {
        return endpoints
                .list()
                .map(list -> Map.of(
                        "items", list.stream().map(WebhookController::view).toList()));
    }

    @DeleteMapping("/api/v1/webhook-endpoints/{id}")
    Mono<ResponseEntity<Void>> delete(@PathVariable UUID id, ServerWebExchange exchange) {
        String actor = actor(exchange);
        return endpoints
                .delete(id)
                .then(actions.record(actor, "webhook.deleted", id.toString(), null))
                .thenReturn(ResponseEntity.noContent().build());
    }

    @PostMapping("/api/v1/webhook-endpoints/{id}/enable")
    Mono<ResponseEntity<Void>> enable(@PathVariable UUID id, ServerWebExchange exchange) {
        String actor = actor(exchange);
        return endpoints
                .enable(id)
                .then(actions.record(actor, "webhook.enabled", id.toString(), null))
                .thenReturn(ResponseEntity.noContent().build());
    }

    @GetMapping("/api/v1/webhook-deliveries")
    Mono<Map<String, Object>> deliveries(
            @RequestParam(name = "endpoint_id", required = false) String endpointId,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        UUID endpoint;
        try {
            endpoint = endpointId == null || endpointId.isBlank() ? null : UUID.fromString(endpointId.trim());
        } catch (IllegalArgumentException e) {
            return Mono.error(
                    new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", "endpoint_id is not a UUID."));
        }
        if (status != null
                && !status.isBlank()
                && !List.of("pending", "delivered", "failed").contains(status)) {
            return Mono.error(new ProblemException(
                    HttpStatus.BAD_REQUEST, "validation_failed", "status: pending, delivered or failed."));
        }
        if (page < 0 || size < 1 || size > 200) {
            return Mono.error(new ProblemException(
                    HttpStatus.BAD_REQUEST, "validation_failed", "page >= 0 and 1 <= size <= 200."));
        }
        return deliveries.page(endpoint, status, page, size).map(found -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put(
                    "items", found.items().stream().map(WebhookController::view).toList());
            body.put("page", found.page());
            body.put("size", found.size());
            body.put("total", found.total());
            return body;
        });
    }

    @PostMapping("/api/v1/webhook-deliveries/{id}/redeliver")
    Mono<ResponseEntity<Void>> redeliver(@PathVariable UUID id, ServerWebExchange exchange) {
        String actor = actor(exchange);
        return deliveries
                .redeliver(id)
                .then(actions.record(actor, "webhook.redelivered", id.toString(), null))
                .thenReturn(ResponseEntity.accepted().build());
    }

    static Map<String, Object> view(WebhookEndpoints.EndpointView endpoint) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", endpoint.id());
        body.put("url", endpoint.url());
        body.put("description", endpoint.description());
        body.put("events", endpoint.events());
        body.put("secret_hint", endpoint.secretHint());
        body.put("created_at", endpoint.createdAt());
        body.put("created_by", endpoint.createdBy());
        body.put("disabled_at", endpoint.disabledAt());
        body.put("disabled_reason", endpoint.disabledReason());
        body.put("failing_since", endpoint.failingSince());
        return body;
    }

    static Map<String, Object> view(WebhookDeliveries.DeliveryView delivery) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", delivery.id());
        body.put("endpoint_id", delivery.endpointId());
        body.put("event_type", delivery.eventType());
        body.put("created_at", delivery.createdAt());
        body.put("status", delivery.status());
        body.put("attempts", delivery.attempts());
        body.put("next_attempt_at", delivery.nextAttemptAt());
        body.put("last_attempt_at", delivery.lastAttemptAt());
        body.put("last_status", delivery.lastStatus());
        body.put("last_error", delivery.lastError());
        body.put("delivered_at", delivery.deliveredAt());
        return body;
    }

    private static String actor(ServerWebExchange exchange) {
        return ApiKeyController.actor(exchange);
    }
}
