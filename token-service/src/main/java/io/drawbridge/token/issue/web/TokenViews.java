package io.drawbridge.token.issue.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drawbridge.token.issue.domain.Delivery;
import io.drawbridge.token.issue.domain.DownloadToken;
import io.drawbridge.token.issue.domain.HistoryEntry;
import io.drawbridge.token.issue.domain.TokenPage;
import io.drawbridge.token.orders.domain.Order;
import io.drawbridge.token.redeem.domain.Grant;
import io.drawbridge.token.redeem.domain.GrantItem;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** The admin API's JSON views of tokens (snake_case); never the token itself, which is not stored. */
final class TokenViews {

    private TokenViews() {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Uses(int max, int consumed, int reserved, int remaining) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DeliveryView(
            String status, int attempts, String error, Instant emailedAt, Instant failedAt, UUID replacedBy) {}

    /** The order a link belongs to, as token-service knows it (absent for links without a known order). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OrderRef(
            String orderId,
            String provider,
            String externalId,
            String status,
            Instant revokedAt,
            String revokeReason,
            boolean reissuePending) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Summary(
            UUID tokenId,
            String status,
            String customerEmail,
            String orderId,
            String product,
            List<UUID> files,
            String platform,
            int maxDownloads,
            Uses uses,
            Instant issuedAt,
            Instant expiresAt,
            Instant revokedAt,
            String source,
            DeliveryView delivery) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Page(List<Summary> items, int page, int size, long total) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Item(UUID fileId, String name, long size, String sha256, String contentType, String platform) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GrantView(
            UUID grantId,
            String status,
            boolean holdsUse,
            String platform,
            String archiveName,
            String clientIp,
            String userAgent,
            Instant createdAt,
            Instant expiresAt,
            Instant settledAt,
            List<Item> items) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HistoryView(String kind, UUID grantId, String detail, Instant at) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Details(
            UUID tokenId,
            String status,
            String customerEmail,
            String orderId,
            String orderLineId,
            String product,
            List<UUID> files,
            String platform,
            boolean requireEmail,
            String note,
            int maxDownloads,
            Uses uses,
            long bytesDelivered,
            Instant issuedAt,
            Instant expiresAt,
            Instant revokedAt,
            String revokeReason,
            Instant exhaustedAt,
            String source,
            DeliveryView delivery,
            UUID replaces,
            OrderRef order,
            List<GrantView> grants,
            List<HistoryView> history) {}

    static Uses uses(DownloadToken token) {
        return new Uses(token.maxDownloads(), token.consumed(), token.reserved(), token.remaining());
    }

    static Summary summary(DownloadToken token, Instant now) {
        return new Summary(
                token.id(),
                token.status(now).wire(),
                token.customerEmail(),
                token.orderId(),
                token.productSku(),
                token.forProduct() ? null : token.fileIds(),
                token.platform(),
                token.maxDownloads(),
                uses(token),
                token.issuedAt(),
                token.expiresAt(),
                token.revokedAt(),
                token.source(),
                delivery(token.delivery()));
    }

    static DeliveryView delivery(Delivery delivery) {
        return new DeliveryView(
                delivery.status().wire(),
                delivery.attempts(),
                delivery.error(),
                delivery.emailedAt(),
                delivery.failedAt(),
                delivery.replacedBy());
    }

    static OrderRef order(Order order) {
        return order == null
                ? null
                : new OrderRef(
                        order.orderId(),
                        order.provider(),
                        order.externalId(),
                        order.status(),
                        order.revokedAt(),
                        order.revokeReason(),
                        order.reissuePending());
    }

    static Page page(TokenPage page, Instant now) {
        return new Page(
                page.items().stream().map(token -> summary(token, now)).toList(),
                page.page(),
                page.size(),
                page.total());
    }

    static Details details(
            DownloadToken token, List<Grant> grants, List<HistoryEntry> history, Order order, Instant now) {
        return new Details(
                token.id(),
                token.status(now).wire(),
                token.customerEmail(),
                token.orderId(),
                token.orderLineId(),
                token.productSku(),
                token.forProduct() ? null : token.fileIds(),
                token.platform(),
                token.requireEmail(),
                token.note(),
                token.maxDownloads(),
                uses(token),
                token.bytesDelivered(),
                token.issuedAt(),
                token.expiresAt(),
                token.revokedAt(),
                token.revokeReason(),
                token.exhaustedAt(),
                token.source(),
                delivery(token.delivery()),
                token.delivery().replaces(),
                order(order),
                grants.stream().map(grant -> grant(grant, now)).toList(),
                history.stream()
                        .map(entry ->
                                new HistoryView(entry.kind(), entry.grantId(), entry.detail(), entry.occurredAt()))
                        .toList());
    }

    static GrantView grant(Grant grant, Instant now) {
        return new GrantView(
                grant.id(),
                grant.statusAt(now).wire(),
                grant.holdsUse(),
                grant.platform(),
                grant.archiveName(),
                grant.clientIp(),
                grant.userAgent(),
                grant.createdAt(),
                grant.expiresAt(),
                grant.settledAt(),
                grant.items().stream().map(TokenViews::item).toList());
    }

    private static Item item(GrantItem item) {
        return new Item(item.fileId(), item.name(), item.size(), item.sha256(), item.contentType(), item.platform());
    }
}
