package io.drawbridge.audit.trail.domain;

import java.util.Locale;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The ids an admin looks events up by, taken from the top-level fields of any event's payload by their catalog
 * names ({@code orderId}, {@code tokenId}, {@code requestId}, {@code grantId}, {@code tokenHash}, {@code
 * customerEmail} or {@code email}). Generic on purpose: a new event type that uses the same names is searchable
 * without a change here.
 *
 * @param email lowercased and trimmed, so lookups need not care about case
 */
public record EventReferences(
        String orderId, UUID tokenId, UUID requestId, UUID grantId, String tokenHash, String email) {

    public static EventReferences of(JsonNode payload) {
        return new EventReferences(
                text(payload, "orderId"),
                uuid(payload, "tokenId"),
                uuid(payload, "requestId"),
                uuid(payload, "grantId"),
                text(payload, "tokenHash"),
                normalizeEmail(firstNonNull(text(payload, "customerEmail"), text(payload, "email"))));
    }

    /** Lowercased and trimmed; null stays null. */
    public static String normalizeEmail(String email) {
        if (email == null) {
            return null;
        }
        String trimmed = email.trim();
        return trimmed.isEmpty() ? null : trimmed.toLowerCase(Locale.ROOT);
    }

    private static String text(JsonNode payload, String field) {
        JsonNode node = payload.get(field);
        return node == null || !node.isString() || node.stringValue().isBlank() ? null : node.stringValue();
    }

    private static UUID uuid(JsonNode payload, String field) {
        String text = text(payload, field);
        if (text == null) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String firstNonNull(String first, String second) {
        return first != null ? first : second;
    }
}
