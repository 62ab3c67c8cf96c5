package io.drawbridge.gateway.share;

import io.drawbridge.platform.security.ApiKeyIntrospector;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Who may create a share ({@code drawbridge.gateway.shares.creators}): {@code anyone} (the default; the gateway's
 * per-address upload buckets limit how many and how much), or {@code api-key}: only a caller with a seller's API key
 * ({@code Authorization: Bearer dbk_...}) whose scopes include {@code shares:create} (or {@code admin}), checked by the
 * key owner (the console) like every service's keys. Reading a share never needs a key: the link is the credential.
 */
@Component
class ShareCreators {

    /** The scope a key needs to create shares when only sellers may. */
    static final String SCOPE = "shares:create";

    enum Who {
        ANYONE,
        API_KEY
    }

    private final Who who;
    private final ApiKeyIntrospector keys;

    ShareCreators(ShareProperties properties, ObjectProvider<ApiKeyIntrospector> keys) {
        this.who = properties.creators();
        this.keys = keys.getIfAvailable();
        if (who == Who.API_KEY && this.keys == null) {
            throw new IllegalStateException("drawbridge.gateway.shares.creators=api-key needs the API keys' owner:"
                    + " set DRAWBRIDGE_API_KEYS_URL (the console) and DRAWBRIDGE_SERVICE_TOKEN");
        }
    }

    boolean anyone() {
        return who == Who.ANYONE;
    }

    /** Completes when this request may create a share; a refusal (401 {@code unauthorized}, 403) otherwise. */
    Mono<Void> check(ServerHttpRequest request) {
        if (who == Who.ANYONE) {
            return Mono.empty();
        }
        String key = bearer(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (key == null || !key.startsWith(ApiKeyIntrospector.KEY_PREFIX)) {
            return Mono.error(ShareRefusal.of(
                    HttpStatus.UNAUTHORIZED,
                    "unauthorized",
                    "Sharing here is for sellers: send an API key with the " + SCOPE
                            + " scope (Authorization: Bearer), made in the console."));
        }
        return keys.introspect(key)
                .switchIfEmpty(Mono.error(
                        () -> ShareRefusal.of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unknown or revoked API key.")))
                .flatMap(grant -> grant.allows(SCOPE)
                        ? Mono.<Void>empty()
                        : Mono.error(ShareRefusal.of(
                                HttpStatus.FORBIDDEN,
                                "insufficient_scope",
                                "This API key (" + grant.name() + ") lacks the scope " + SCOPE + ".")));
    }

    private static String bearer(String authorization) {
        if (authorization == null
                || authorization.length() <= 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
