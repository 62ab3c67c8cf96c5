package io.drawbridge.token.orders.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drawbridge.token.issue.domain.Delivery;
import io.drawbridge.token.issue.domain.DownloadToken;
import io.drawbridge.token.orders.domain.Claim;
import io.drawbridge.token.orders.domain.IssuedLink;
import io.drawbridge.token.orders.domain.Order;
import io.drawbridge.token.orders.domain.OrderDetails;
import io.drawbridge.token.orders.domain.OrderLine;
import io.drawbridge.token.orders.domain.OrderPage;
import io.drawbridge.token.orders.domain.Resent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** JSON views (snake_case) of orders and their links; a plaintext token only in a claim that just issued it. */
final class OrderViews {

    private OrderViews() {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DeliveryView(String status, int attempts, String error, Instant emailedAt, Instant failedAt) {

        static DeliveryView of(Delivery delivery) {
            return new DeliveryView(
                    delivery.status().wire(),
                    delivery.attempts(),
                    delivery.error(),
                    delivery.emailedAt(),
                    delivery.failedAt());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LinkView(
            UUID tokenId,
            String orderLineId,
            String product,
            String status,
            int maxDownloads,
            int downloadsRemaining,
            Instant issuedAt,
            Instant expiresAt,
            Instant revokedAt,
            String revokeReason,
            DeliveryView delivery,
            UUID replaces,
            UUID replacedBy) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LineView(
            String lineId,
            String sku,
            int quantity,
            String state,
            UUID tokenId,
            Instant issueAfter,
            int attempts,
            String lastError,
            String lastErrorDetail,
            Instant lastAttemptAt,
            Instant issuedAt) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Summary(
            String orderId,
            String provider,
            String externalId,
            String customerEmail,
            String status,
            Instant statusAt,
            Instant paidAt,
            Instant revokedAt,
            String revokeReason,
            Instant disputeWonAt,
            Instant reinstatedAt,
            boolean reissuePending,
            Instant updatedAt,
            List<LineView> lines) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Page(List<Summary> items, int page, int size, long total) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Details(
            String orderId,
            String provider,
            String externalId,
            String customerEmail,
            String status,
            Instant statusAt,
            Instant paidAt,
            Instant revokedAt,
            String revokeReason,
            Instant disputeWonAt,
            Instant reinstatedAt,
            boolean reissuePending,
            List<LineView> lines,
            List<LinkView> links) {}

    /** A link in a claim's answer: {@code token} and {@code link} only when this claim issued it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ClaimedLink(
            String orderLineId,
            String product,
            UUID tokenId,
            String token,
            String link,
            Instant expiresAt,
            int maxDownloads,
            boolean issuedNow,
            String delivery) {

        @Override
        public String toString() {
            return "ClaimedLink[tokenId=" + tokenId + "]";
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ClaimView(
            String orderId,
            String provider,
            String externalId,
            String status,
            List<ClaimedLink> links,
            List<LineView> pendingLines) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ResendView(
            UUID tokenId, UUID replaces, String customerEmail, Instant expiresAt, int maxDownloads, String delivery) {}

    static LineView line(OrderLine line) {
        return new LineView(
                line.lineId(),
                line.sku(),
                line.quantity(),
                line.state().wire(),
                line.tokenId(),
                line.issueAfter(),
                line.attempts(),
                line.lastError(),
                line.lastErrorDetail(),
                line.lastAttemptAt(),
                line.issuedAt());
    }

    static LinkView link(DownloadToken token, Instant now) {
        return new LinkView(
                token.id(),
                token.orderLineId(),
                token.productSku(),
                token.status(now).wire(),
                token.maxDownloads(),
                token.remaining(),
                token.issuedAt(),
                token.expiresAt(),
                token.revokedAt(),
                token.revokeReason(),
                DeliveryView.of(token.delivery()),
                token.delivery().replaces(),
                token.delivery().replacedBy());
    }

    /** The order's current links (not replaced by a re-send), as a claim that issued nothing lists them. */
    static List<ClaimedLink> currentLinks(List<DownloadToken> tokens) {
        return tokens.stream()
                .filter(token -> token.delivery().replacedBy() == null)
                .map(token -> new ClaimedLink(
                        token.orderLineId(),
                        token.productSku(),
                        token.id(),
                        null,
                        null,
                        token.expiresAt(),
                        token.maxDownloads(),
                        false,
                        token.delivery().status().wire()))
                .toList();
    }

    static ClaimView claim(Claim claim) {
        Map<UUID, IssuedLink> issued = claim.issued().stream()
                .collect(Collectors.toMap(link -> link.token().tokenId(), Function.identity()));
        List<ClaimedLink> links = claim.links().stream()
                .filter(token -> token.delivery().replacedBy() == null)
                .map(token -> {
                    IssuedLink now = issued.get(token.id());
                    return new ClaimedLink(
                            token.orderLineId(),
                            token.productSku(),
                            token.id(),
                            now == null ? null : now.token().secret().plaintext(),
                            now == null ? null : now.token().link(),
                            token.expiresAt(),
                            token.maxDownloads(),
                            now != null,
                            token.delivery().status().wire());
                })
                .toList();
        Order order = claim.order();
        return new ClaimView(
                order.orderId(),
                order.provider(),
                order.externalId(),
                order.status(),
                links,
                order.lines().stream()
                        .filter(OrderLine::open)
                        .map(OrderViews::line)
                        .toList());
    }

    static Summary summary(Order order) {
        return new Summary(
                order.orderId(),
                order.provider(),
                order.externalId(),
                order.customerEmail(),
                order.status(),
                order.statusAt(),
                order.paidAt(),
                order.revokedAt(),
                order.revokeReason(),
                order.disputeWonAt(),
                order.reinstatedAt(),
                order.reissuePending(),
                order.updatedAt(),
                order.lines().stream().map(OrderViews::line).toList());
    }

    static Page page(OrderPage page) {
        return new Page(
                page.items().stream().map(OrderViews::summary).toList(), page.page(), page.size(), page.total());
    }

    static Details details(OrderDetails details, Instant now) {
        Order order = details.order();
        return new Details(
                order.orderId(),
                order.provider(),
                order.externalId(),
                order.customerEmail(),
                order.status(),
                order.statusAt(),
                order.paidAt(),
                order.revokedAt(),
                order.revokeReason(),
                order.disputeWonAt(),
                order.reinstatedAt(),
                order.reissuePending(),
                order.lines().stream().map(OrderViews::line).toList(),
                details.links().stream().map(token -> link(token, now)).toList());
    }

    static ResendView resend(Resent resent) {
        return new ResendView(
                resent.token().tokenId(),
                resent.replaced(),
                resent.token().customerEmail(),
                resent.token().expiresAt(),
                resent.token().maxDownloads(),
                "pending");
    }
}
