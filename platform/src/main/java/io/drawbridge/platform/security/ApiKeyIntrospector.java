package io.drawbridge.platform.security;

import reactor.core.publisher.Mono;

/**
 * Tells what an API key may do. The console service owns the keys (stored hashed there); every other service asks
 * it, so that a revoked key stops working everywhere within {@link CachingApiKeyIntrospector}'s cache time.
 */
public interface ApiKeyIntrospector {

    /** The prefix every API key starts with, so that a key is never mistaken for the admin or service token. */
    String KEY_PREFIX = "dbk_";

    /** The key's grant when it is known and not revoked; empty otherwise. Never errors for an unknown key. */
    Mono<ApiKeyGrant> introspect(String key);
}
