package io.drawbridge.token.redeem.domain;

import java.util.UUID;

/** The answer to a download request. {@code replayed} marks an answer given before, repeated for a redelivery. */
public sealed interface RedeemOutcome {

    UUID requestId();

    boolean replayed();

    /** A grant, new or (for the same client) the live one given before ({@code reused}). */
    record Granted(UUID requestId, Grant grant, int downloadsRemaining, boolean reused, boolean replayed)
            implements RedeemOutcome {}

    /** A refusal; {@code tokenId} is null when no token matched. */
    record Denied(UUID requestId, UUID tokenId, DenialReason reason, String detail, boolean replayed)
            implements RedeemOutcome {}
}
