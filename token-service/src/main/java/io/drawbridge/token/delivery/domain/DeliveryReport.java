package io.drawbridge.token.delivery.domain;

import java.util.UUID;

/**
 * One HTTP response of the gateway: {@code completed} when it wrote every byte it promised (a whole file, one
 * range, or the ZIP when {@code fileId} is null), else it ended early after {@code bytesSent} bytes.
 */
public record DeliveryReport(
        UUID grantId,
        UUID tokenId,
        UUID fileId,
        long rangeStart,
        long bytesSent,
        long totalSize,
        boolean completed,
        String failureReason) {}
