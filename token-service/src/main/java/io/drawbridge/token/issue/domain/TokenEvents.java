package io.drawbridge.token.issue.domain;

import java.time.Instant;
import reactor.core.publisher.Mono;

/**
 * The token lifecycle events, appended to the outbox in the caller's transaction (so an event goes out exactly
 * when the change commits). Never carries the plaintext token.
 */
public interface TokenEvents {

    Mono<Void> issued(DownloadToken token);

    Mono<Void> revoked(DownloadToken token, String reason, Instant revokedAt);

    Mono<Void> exhausted(DownloadToken token, Instant exhaustedAt);

    /** The link's email was accepted by SMTP, at the {@code attempt}-th try. */
    Mono<Void> emailed(DownloadToken token, int attempt, Instant emailedAt);
}
