package io.drawbridge.audit.timeline.domain;

import io.drawbridge.events.GrantOutcome;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Names an event's place in an order's lifecycle and says it in a sentence. The rank breaks ties between events
 * with the same timestamp so that the story reads paid → issued → emailed → viewed → requested → granted →
 * downloaded → settled (token-service's outcome of the grant) → exhausted → refunded → revoked.
 */
public final class TimelinePhases {

    private static final Map<String, Integer> RANKS = Map.ofEntries(
            Map.entry("paid", 0),
            Map.entry("order_status", 1),
            Map.entry("issued", 2),
            Map.entry("emailed", 3),
            Map.entry("viewed", 4),
            Map.entry("requested", 5),
            Map.entry("granted", 6),
            Map.entry("denied", 6),
            Map.entry("download_failed", 7),
            Map.entry("downloaded", 7),
            Map.entry("settled", 8),
            Map.entry("exhausted", 9),
            Map.entry("refunded", 10),
            Map.entry("revoked", 11),
            Map.entry("other", 12));

    private TimelinePhases() {}

    public static String phase(String type, JsonNode payload) {
        return switch (type) {
            case "OrderStatusChanged" -> orderPhase(text(payload, "status"));
            case "TokenIssued" -> "issued";
            case "LinkEmailed", "TokenEmailed", "EmailSent" -> "emailed";
            case "LinkViewed", "DownloadPageViewed", "LandingPageViewed" -> "viewed";
            case "DownloadRequested" -> "requested";
            case "DownloadGranted" -> "granted";
            case "DownloadDenied" -> "denied";
            case "DownloadCompleted" -> "downloaded";
            case "DownloadFailed" -> "download_failed";
            case "GrantSettled" -> "settled";
            case "TokenExhausted" -> "exhausted";
            case "TokenRevoked" -> "revoked";
            default -> "other";
        };
    }

    public static int rank(String phase) {
        return RANKS.getOrDefault(phase, RANKS.get("other"));
    }

    public static String summary(String type, JsonNode p) {
        return switch (type) {
            case "OrderStatusChanged" ->
                "Order " + or(text(p, "status"), "changed") + " at "
                        + or(text(p, "provider"), "the storefront")
                        + (text(p, "previousStatus") == null ? "" : " (was " + text(p, "previousStatus") + ")");
            case "TokenIssued" ->
                "Link issued for " + or(text(p, "productSku"), "selected files") + ", "
                        + or(text(p, "maxDownloads"), "?") + " download(s), expires "
                        + or(text(p, "expiresAt"), "never");
            case "DownloadRequested" ->
                "Download requested from " + or(text(p, "clientIp"), "unknown IP")
                        + (text(p, "platform") == null ? "" : " for " + text(p, "platform"));
            case "DownloadGranted" ->
                "Download granted"
                        + (text(p, "archiveName") != null ? ": " + text(p, "archiveName") : firstItemName(p))
                        + ", " + or(text(p, "downloadsRemaining"), "?") + " left"
                        + ("true".equals(text(p, "reused")) ? " (live grant reused)" : "");
            case "DownloadDenied" -> "Download denied: " + or(text(p, "reason"), "unknown reason");
            case "DownloadCompleted" ->
                "Delivered " + or(text(p, "bytesSent"), "?") + " of "
                        + or(text(p, "totalSize"), "?") + " bytes"
                        + (text(p, "rangeStart") == null || "0".equals(text(p, "rangeStart"))
                                ? ""
                                : " from byte " + text(p, "rangeStart"));
            case "DownloadFailed" ->
                "Download ended early after " + or(text(p, "bytesSent"), "?") + " bytes: "
                        + or(text(p, "reason"), "unknown reason");
            case "GrantSettled" ->
                "Download " + settledOutcome(text(p, "outcome")) + ": " + or(text(p, "bytesSent"), "?") + " of "
                        + or(text(p, "downloadSize"), "?") + " bytes sent"
                        + (text(p, "archive") == null
                                ? ""
                                : " as a " + text(p, "archive").replace('_', '-') + " ZIP");
            case "TokenExhausted" -> "Link used up (" + or(text(p, "downloadsConsumed"), "?") + " downloads)";
            case "TokenRevoked" -> "Link revoked: " + or(text(p, "reason"), "unknown reason");
            default -> type;
        };
    }

    /** token-service's outcome of a grant ({@link GrantOutcome}) in words. */
    private static String settledOutcome(String wire) {
        GrantOutcome outcome;
        try {
            outcome = GrantOutcome.fromWire(wire);
        } catch (IllegalArgumentException e) {
            return "settled (" + wire + ")";
        }
        if (outcome == null) {
            return "settled";
        }
        return switch (outcome) {
            case COMPLETED -> "completed";
            case RELEASED -> "not completed, use given back";
            case REVOKED -> "stopped, link revoked";
        };
    }

    private static String orderPhase(String status) {
        if (status == null) {
            return "order_status";
        }
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "paid", "completed", "succeeded" -> "paid";
            case "refunded", "partially_refunded", "disputed", "chargeback" -> "refunded";
            default -> "order_status";
        };
    }

    private static String firstItemName(JsonNode p) {
        JsonNode items = p.get("items");
        if (items == null || !items.isArray() || items.isEmpty()) {
            return "";
        }
        String name = text(items.get(0), "name");
        return name == null ? "" : ": " + name + (items.size() > 1 ? " and " + (items.size() - 1) + " more" : "");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static String or(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
