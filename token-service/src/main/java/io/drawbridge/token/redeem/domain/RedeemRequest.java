package io.drawbridge.token.redeem.domain;

import java.time.Instant;
import java.util.UUID;

/** A customer's click on Download, as the gateway reported it. */
public record RedeemRequest(
        UUID requestId,
        String tokenHash,
        String platform,
        String email,
        String clientIp,
        String userAgent,
        String gatewayId,
        Instant requestedAt) {

    @Override
    public String toString() {
        return "RedeemRequest[requestId=" + requestId + ", gatewayId=" + gatewayId + "]";
    }
}
