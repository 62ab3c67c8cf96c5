package io.drawbridge.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * Asks the key owner ({@code POST <api-keys-url>/internal/v1/api-keys/introspect}, with the service token) what a
 * key may do, and remembers the answer, valid or not, for {@code ttl}: a storefront calling for every checkout does
 * not cost a round trip each, and a revoked key stops working within {@code ttl}. Answers are kept by the key's
 * SHA-256, never by the key. When the owner cannot be reached the key is refused (401), never let through.
 */
public class CachingApiKeyIntrospector implements ApiKeyIntrospector {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Optional<ApiKeyGrant> grant, Instant expiresAt) {}

    record Introspection(boolean active, String keyId, String name, List<String> scopes) {}

    private final WebClient client;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public CachingApiKeyIntrospector(WebClient.Builder builder, String apiKeysUrl, String serviceToken, Duration ttl) {
        this(builder, apiKeysUrl, serviceToken, ttl, Clock.systemUTC());
    }

    CachingApiKeyIntrospector(
            WebClient.Builder builder, String apiKeysUrl, String serviceToken, Duration ttl, Clock clock) {
        this.client = builder.clone()
                .baseUrl(apiKeysUrl)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + serviceToken)
                .build();
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Mono<ApiKeyGrant> introspect(String key) {
        String digest = sha256(key);
        Entry cached = cache.get(digest);
        if (cached != null && cached.expiresAt().isAfter(clock.instant())) {
            return Mono.justOrEmpty(cached.grant());
        }
        return client.post()
                .uri("/internal/v1/api-keys/introspect")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("key", key))
                .retrieve()
                .bodyToMono(Introspection.class)
                .timeout(Duration.ofSeconds(3))
                .map(answer -> answer.active()
                        ? Optional.of(new ApiKeyGrant(answer.keyId(), answer.name(), Set.copyOf(answer.scopes())))
                        : Optional.<ApiKeyGrant>empty())
                .doOnNext(grant -> remember(digest, grant))
                .onErrorResume(WebClientResponseException.class, e -> Mono.empty())
                .flatMap(Mono::justOrEmpty);
    }

    private void remember(String digest, Optional<ApiKeyGrant> grant) {
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(digest, new Entry(grant, clock.instant().plus(ttl)));
    }

    static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
