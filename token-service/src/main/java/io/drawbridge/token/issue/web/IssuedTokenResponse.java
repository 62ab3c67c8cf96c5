package io.drawbridge.token.issue.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drawbridge.token.issue.domain.IssuedToken;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** A new link: the only response that ever carries the plaintext token. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
record IssuedTokenResponse(
        UUID tokenId,
        String token,
        String link,
        Instant expiresAt,
        int maxDownloads,
        String orderId,
        String customerEmail) {

    /** The single-link response: {@code token_id, token, link, expires_at, max_downloads}. */
    static IssuedTokenResponse single(IssuedToken issued) {
        return new IssuedTokenResponse(
                issued.tokenId(),
                issued.secret().plaintext(),
                issued.link(),
                issued.expiresAt(),
                issued.maxDownloads(),
                null,
                null);
    }

    /** A batch row, which also says which order and customer the link is for. */
    static IssuedTokenResponse row(IssuedToken issued) {
        return new IssuedTokenResponse(
                issued.tokenId(),
                issued.secret().plaintext(),
                issued.link(),
                issued.expiresAt(),
                issued.maxDownloads(),
                issued.orderId(),
                issued.customerEmail());
    }

    @Override
    public String toString() {
        return "IssuedTokenResponse[tokenId=" + tokenId + "]";
    }
}
