package io.drawbridge.audit;

import io.drawbridge.events.DownloadCompleted;
import io.drawbridge.events.DownloadDenied;
import io.drawbridge.events.DownloadFailed;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.DownloadRequested;
import io.drawbridge.events.GrantOutcome;
import io.drawbridge.events.GrantSettled;
import io.drawbridge.events.GrantedItem;
import io.drawbridge.events.OrderLine;
import io.drawbridge.events.OrderStatusChanged;
import io.drawbridge.events.TokenIssued;
import io.drawbridge.events.TokenRevoked;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** The events of one customer's order and link, with unique ids, for building test scenarios. */
public record Purchase(String orderId, UUID tokenId, String tokenHash, String email, UUID fileId, Instant at) {

    public static final String FILE_NAME = "drawbridge-setup-1.4.2.exe";
    public static final long FILE_SIZE = 10_485_760L;

    /** A purchase at {@code at}, to the millisecond (PostgreSQL keeps microseconds). */
    public static Purchase at(Instant at) {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        return new Purchase(
                "ord_" + unique,
                UUID.randomUUID(),
                (unique + "0".repeat(64)).substring(0, 64),
                "Customer." + unique + "@Example.com",
                UUID.randomUUID(),
                at.truncatedTo(ChronoUnit.MILLIS));
    }

    public static Purchase now() {
        return at(Instant.now());
    }

    public Instant plus(long seconds) {
        return at.plus(Duration.ofSeconds(seconds));
    }

    public OrderStatusChanged paid() {
        return order("paid", null);
    }

    public OrderStatusChanged refunded() {
        return order("refunded", "paid");
    }

    private OrderStatusChanged order(String status, String previous) {
        return new OrderStatusChanged(
                orderId,
                "stripe",
                "pi_" + orderId,
                email,
                status,
                previous,
                List.of(new OrderLine("line-1", "SKU-APP", 1)),
                at);
    }

    public TokenIssued issued() {
        return new TokenIssued(
                tokenId,
                orderId,
                "line-1",
                email,
                "SKU-APP",
                List.of(fileId),
                null,
                3,
                at.plus(Duration.ofDays(7)),
                at,
                null);
    }

    public TokenRevoked revoked() {
        return new TokenRevoked(tokenId, orderId, "refunded", at);
    }

    public DownloadRequested requested(UUID requestId, String platform, String userAgent, Instant requestedAt) {
        return new DownloadRequested(
                requestId,
                tokenHash,
                platform,
                null,
                "203.0.113.7",
                userAgent,
                "gateway-1",
                requestedAt,
                requestedAt.plusSeconds(3));
    }

    public DownloadGranted granted(UUID requestId, UUID grantId, String platform) {
        return new DownloadGranted(
                requestId,
                tokenId,
                grantId,
                List.of(new GrantedItem(
                        fileId,
                        "releases/" + FILE_NAME,
                        FILE_NAME,
                        FILE_SIZE,
                        "ab".repeat(32),
                        "application/octet-stream",
                        platform)),
                at.plus(Duration.ofMinutes(15)),
                2,
                null,
                false);
    }

    public DownloadDenied denied(UUID requestId, String reason) {
        return new DownloadDenied(requestId, tokenId, reason, "refused in a test");
    }

    public DownloadCompleted completed(UUID grantId, long rangeStart, String platform, Instant start, Instant end) {
        return new DownloadCompleted(
                grantId,
                tokenId,
                fileId,
                rangeStart,
                FILE_SIZE - rangeStart,
                FILE_SIZE,
                platform,
                "203.0.113.7",
                "curl/8.5",
                start,
                end);
    }

    /** A response that delivered {@code [rangeStart, rangeStart + bytes)} in full. */
    public DownloadCompleted completedRange(UUID grantId, long rangeStart, long bytes, Instant start, Instant end) {
        return new DownloadCompleted(
                grantId,
                tokenId,
                fileId,
                rangeStart,
                bytes,
                FILE_SIZE,
                "linux",
                "203.0.113.7",
                "aria2/1.36",
                start,
                end);
    }

    /** token-service's outcome of a grant of the file, after {@code bytesSent} bytes went out in all. */
    public GrantSettled settled(UUID grantId, GrantOutcome outcome, long bytesSent, Instant settledAt) {
        return new GrantSettled(grantId, tokenId, outcome, bytesSent, FILE_SIZE, null, settledAt);
    }

    public DownloadFailed failed(UUID grantId, long bytesSent, String platform, Instant start, Instant end) {
        return new DownloadFailed(
                grantId,
                tokenId,
                fileId,
                0,
                bytesSent,
                FILE_SIZE,
                platform,
                "203.0.113.7",
                "curl/8.5",
                start,
                end,
                "client_aborted");
    }
}
