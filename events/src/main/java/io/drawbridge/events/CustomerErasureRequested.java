package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

/**
 * A customer asked to be forgotten (GDPR art. 17): every service that keeps something about them erases it and
 * answers with a {@link CustomerErased}. audit-service takes the request ({@code DELETE /api/v1/customers/{email}})
 * and publishes this; token-service and order-sync-service handle it, and audit-service's trail keeps the request
 * and every answer, so the erasure is itself audited.
 *
 * <p>The address itself is not on the wire (the topic would keep what the customer asked to be erased): owners find
 * their rows by {@link #emailHash(String) the SHA-256 of the normalised address} and replace the address with {@code
 * label}, the same pseudonym everywhere, so counts and per-customer grouping survive.
 *
 * @param emailHash {@link #emailHash(String)} of the customer's address
 * @param label what the address is replaced with ({@code erased-<16 hex>})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CustomerErasureRequested(UUID erasureId, String emailHash, String label, Instant requestedAt)
        implements Event {

    /** One erasure's request and answers stay together. */
    @Override
    public String key() {
        return erasureId.toString();
    }

    /** The address as every service compares it: trimmed and lower-cased. */
    public static String normalizeEmail(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }

    /** Hex SHA-256 of the {@link #normalizeEmail(String) normalised} address. */
    public static String emailHash(String email) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(normalizeEmail(email).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
