package io.drawbridge.console.apikey;

import io.drawbridge.platform.security.ApiKeyGrant;
import io.drawbridge.platform.security.ApiKeyIntrospector;
import io.drawbridge.platform.web.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * API keys for scripts and storefronts: {@code dbk_} + 256 bits from a CSPRNG, base64url. Only the key's SHA-256 is
 * stored (a key has full entropy, so a slow hash adds nothing); the key is returned once, by {@link #create}. Looking
 * a key up by its hash is an indexed equality on a digest, so timing tells nothing about the key. This class is also
 * the console's own {@link ApiKeyIntrospector}: the console checks keys locally, the other services over HTTP.
 */
@Service
public class ApiKeys implements ApiKeyIntrospector {

    /** The scopes there are; {@code admin} includes all others. */
    public static final List<String> SCOPES =
            List.of("links:issue", "files:write", "shares:create", "read", ApiKeyGrant.ADMIN);

    /** last_used_at is written at most this often per key, so a busy storefront does not write on every call. */
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatabaseClient database;
    private final Clock clock = Clock.systemUTC();

    public ApiKeys(DatabaseClient database) {
        this.database = database;
    }

    public record CreatedKey(UUID id, String name, String key, List<String> scopes, Instant createdAt) {}

    public record KeyView(
            UUID id,
            String name,
            String keyHint,
            List<String> scopes,
            Instant createdAt,
            String createdBy,
            Instant revokedAt,
            Instant lastUsedAt) {
        public boolean active() {
            return revokedAt == null;
        }
    }

    public Mono<CreatedKey> create(String name, List<String> scopes, String createdBy) {
        if (name == null || name.isBlank() || name.length() > 100) {
            return Mono.error(new ProblemException(
                    HttpStatus.BAD_REQUEST, "validation_failed", "name is required (at most 100 characters)."));
        }
        if (scopes == null || scopes.isEmpty() || !SCOPES.containsAll(scopes)) {
            return Mono.error(new ProblemException(
                    HttpStatus.BAD_REQUEST, "validation_failed", "scopes: one or more of " + SCOPES + "."));
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        List<String> distinct = List.copyOf(new LinkedHashSet<>(scopes));
        return database.sql("insert into api_key (id, name, key_hash, key_hint, scopes, created_at, created_by) values"
                        + " (:id, :name, :hash, :hint, :scopes, :now, :by)")
                .bind("id", id)
                .bind("name", name.trim())
                .bind("hash", sha256(key))
                .bind("hint", key.substring(0, 8) + "…")
                .bind("scopes", distinct.toArray(String[]::new))
                .bind("now", now)
                .bind("by", createdBy)
                .fetch()
                .rowsUpdated()
                .thenReturn(new CreatedKey(id, name.trim(), key, distinct, now));
    }

    /** @return whether a key was revoked now (false: unknown or already revoked) */
    public Mono<Boolean> revoke(UUID id, String revokedBy) {
        return database.sql("update api_key set revoked_at = :now, revoked_by = :by where id = :id and revoked_at is"
                        + " null")
                .bind("now", clock.instant())
                .bind("by", revokedBy)
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .map(count -> count > 0);
    }

    public Mono<List<KeyView>> list() {
        return database.sql("select * from api_key order by created_at desc")
                .map(row -> new KeyView(
                        row.get("id", UUID.class),
                        row.get("name", String.class),
                        row.get("key_hint", String.class),
                        List.of(row.get("scopes", String[].class)),
                        row.get("created_at", Instant.class),
                        row.get("created_by", String.class),
                        row.get("revoked_at", Instant.class),
                        row.get("last_used_at", Instant.class)))
                .all()
                .collectList();
    }

    @Override
    public Mono<ApiKeyGrant> introspect(String key) {
        if (key == null || !key.startsWith(KEY_PREFIX)) {
            return Mono.empty();
        }
        Instant now = clock.instant();
        return database.sql("select id, name, scopes, last_used_at from api_key where key_hash = :hash and revoked_at"
                        + " is null")
                .bind("hash", sha256(key))
                .map(row -> new Object[] {
                    row.get("id", UUID.class),
                    row.get("name", String.class),
                    row.get("scopes", String[].class),
                    row.get("last_used_at", Instant.class)
                })
                .one()
                .flatMap(row -> {
                    UUID id = (UUID) row[0];
                    Instant lastUsed = (Instant) row[3];
                    ApiKeyGrant grant = new ApiKeyGrant(id.toString(), (String) row[1], Set.of((String[]) row[2]));
                    if (lastUsed != null && lastUsed.isAfter(now.minus(LAST_USED_RESOLUTION))) {
                        return Mono.just(grant);
                    }
                    return database.sql("update api_key set last_used_at = :now where id = :id")
                            .bind("now", now)
                            .bind("id", id)
                            .fetch()
                            .rowsUpdated()
                            .thenReturn(grant);
                });
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
