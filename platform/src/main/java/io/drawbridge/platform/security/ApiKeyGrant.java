package io.drawbridge.platform.security;

import java.util.Set;

/**
 * What a valid API key may do: its id and name (for the logs, never the key) and its scopes ({@code links:issue},
 * {@code files:write}, {@code read}, {@code admin}; {@code admin} includes every other scope).
 */
public record ApiKeyGrant(String keyId, String name, Set<String> scopes) {

    public static final String ADMIN = "admin";

    public ApiKeyGrant {
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    }

    public boolean allows(String scope) {
        return scopes.contains(ADMIN) || scopes.contains(scope);
    }
}
