package io.drawbridge.token.issue.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A link just issued. It carries the only copy of the plaintext token, for the issuing response; nothing else
 * may keep or log it ({@link #toString()} leaves it out).
 */
public record IssuedToken(
        UUID tokenId,
        TokenSecret secret,
        String link,
        String customerEmail,
        String orderId,
        Instant expiresAt,
        int maxDownloads) {

    @Override
    public String toString() {
        return "IssuedToken[tokenId=" + tokenId + ", expiresAt=" + expiresAt + "]";
    }
}
