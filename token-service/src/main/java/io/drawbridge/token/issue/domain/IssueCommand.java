package io.drawbridge.token.issue.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * A request for one link. Exactly one of {@code productSku} (delivers the product's current release) and
 * {@code fileIds} (delivers those files) is set. Null {@code maxDownloads}/{@code expiresIn} take the
 * configured defaults.
 */
public record IssueCommand(
        String customerEmail,
        String orderId,
        String orderLineId,
        String productSku,
        List<UUID> fileIds,
        String platform,
        Integer maxDownloads,
        Duration expiresIn,
        boolean requireEmail,
        String note) {

    public IssueCommand {
        // Not List.copyOf: a null element must reach validation (a 400), not throw here.
        fileIds = fileIds == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(fileIds));
    }

    /** The same request for another order id (batch issuing). */
    public IssueCommand withOrderId(String newOrderId) {
        return new IssueCommand(
                customerEmail,
                newOrderId,
                orderLineId,
                productSku,
                fileIds,
                platform,
                maxDownloads,
                expiresIn,
                requireEmail,
                note);
    }
}
