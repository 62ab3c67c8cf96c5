package io.drawbridge.console.apikey;

import io.drawbridge.console.activity.ActionLog;
import io.drawbridge.platform.security.ApiKeyGrant;
import io.drawbridge.platform.security.BearerTokenWebFilter;
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
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The API key admin API ({@code /api/v1/api-keys}: the admin token, or a key with {@code admin}) and the check other
 * services make ({@code /internal/v1/api-keys/introspect}: the service token). JSON snake_case.
 */
@RestController
public class ApiKeyController {

    private final ApiKeys keys;
    private final ActionLog actions;

    ApiKeyController(ApiKeys keys, ActionLog actions) {
        this.keys = keys;
        this.actions = actions;
    }

    record CreateKey(String name, List<String> scopes) {}

    record Introspect(String key) {}

    @PostMapping("/api/v1/api-keys")
    Mono<ResponseEntity<Map<String, Object>>> create(@RequestBody CreateKey request, ServerWebExchange exchange) {
        String actor = actor(exchange);
        return keys.create(request.name(), request.scopes(), actor)
                .flatMap(created -> actions.record(
                                actor,
                                "api_key.created",
                                created.id().toString(),
                                created.name() + " " + created.scopes())
                        .thenReturn(created))
                .map(created -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("id", created.id());
                    body.put("name", created.name());
                    body.put("key", created.key());
                    body.put("scopes", created.scopes());
                    body.put("created_at", created.createdAt());
                    return ResponseEntity.created(URI.create("/api/v1/api-keys/" + created.id()))
                            .body(body);
                });
    }

    @GetMapping("/api/v1/api-keys")
    Mono<Map<String, Object>> list() {
        return keys.list()
                .map(list -> Map.of(
                        "items", list.stream().map(ApiKeyController::view).toList()));
    }

    @DeleteMapping("/api/v1/api-keys/{id}")
    Mono<ResponseEntity<Void>> revoke(@PathVariable UUID id, ServerWebExchange exchange) {
        String actor = actor(exchange);
        return keys.revoke(id, actor)
                .flatMap(revoked -> revoked
                        ? actions.record(actor, "api_key.revoked", id.toString(), null)
                                .thenReturn(ResponseEntity.noContent().<Void>build())
                        : keys.list()
                                .flatMap(list -> list.stream()
                                                .anyMatch(key -> key.id().equals(id))
                                        ? Mono.just(ResponseEntity.noContent().<Void>build())
                                        : Mono.error(new ProblemException(
                                                HttpStatus.NOT_FOUND, "api_key_not_found", "No API key " + id + "."))));
    }

    @PostMapping("/internal/v1/api-keys/introspect")
    Mono<Map<String, Object>> introspect(@RequestBody Introspect request) {
        return keys.introspect(request.key())
                .map(grant -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("active", true);
                    body.put("keyId", grant.keyId());
                    body.put("name", grant.name());
                    body.put("scopes", grant.scopes());
                    return body;
                })
                .defaultIfEmpty(Map.of("active", false));
    }

    static Map<String, Object> view(ApiKeys.KeyView key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", key.id());
        body.put("name", key.name());
        body.put("key_hint", key.keyHint());
        body.put("scopes", key.scopes());
        body.put("created_at", key.createdAt());
        body.put("created_by", key.createdBy());
        body.put("revoked_at", key.revokedAt());
        body.put("last_used_at", key.lastUsedAt());
        return body;
    }

    /** The admin token is "admin-token"; a key is named by its id and name, never by itself. */
    public static String actor(ServerWebExchange exchange) {
        ApiKeyGrant grant = exchange.getAttribute(BearerTokenWebFilter.API_KEY_ATTRIBUTE);
        return grant == null ? "admin-token" : "api-key:" + grant.name() + " (" + grant.keyId() + ")";
    }
}
